"""The triage preview: proposed settings over the site's own scored comments of the last 7 days."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.models import Site
from tests.cast import Cast, post

PREVIEW = "/api/v1/sites/gazette/triage/preview"


def preview(client: TestClient, cast: Cast, body: dict[str, Any]) -> Any:
    r = client.post(PREVIEW, json=body, headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    return r.json()


def test_preview_counts_and_examples_without_saving(
    client: TestClient, cast: Cast, session: Session, clock: FrozenClock
) -> None:
    rude = post(client, cast, cast.author, "You are an idiot and a moron.")
    bridge = post(client, cast, cast.reader, "The bridge budget is far too high for this town.")
    post(client, cast, cast.reader2, "I agree with the council on the bridge vote.")
    settings_before = dict(session.get(Site, "gazette").settings or {})  # type: ignore[union-attr]

    same = preview(client, cast, {})
    assert same["comments"] == 3
    assert same["changed"] == 0 and same["examples"] == []
    level = next(lv for lv, n in same["current"].items() if sum(n.values()) == 3)
    assert same["current"] == same["proposed"]
    assert same["current"][level]["flag"] == 1  # the insult, flagged by default

    # Hold anything abusive past 0.5 at this coverage level: the insult would have been held.
    stricter = preview(client, cast, {"thresholds": {level: {"abuse": {"flag": 0.3, "hold": 0.5}}}})
    assert stricter["changed"] == 1
    assert stricter["proposed"][level]["hold"] == stricter["current"][level]["hold"] + 1
    [example] = stricter["examples"]
    assert example["comment_id"] == rude
    assert (example["before"], example["after"]) == ("flag", "hold")
    assert example["signal"] == "abuse"

    # A new banned word is looked for in the stored comments' text.
    words = preview(client, cast, {"banned_words": ["budget*"]})
    assert [e["comment_id"] for e in words["examples"]] == [bridge]
    assert words["examples"][0]["after"] in ("flag", "hold")

    session.expire_all()
    assert (session.get(Site, "gazette").settings or {}) == settings_before  # type: ignore[union-attr]

    # Comments older than 7 days are not counted.
    clock.advance(days=8)
    assert preview(client, cast, {})["comments"] == 0


def test_bad_preview_input_is_422(client: TestClient, cast: Cast) -> None:
    for body in (
        {"thresholds": {"none": {"abuse": {"hold": "high"}}}},
        {"thresholds": {"none": {"abuse": {"flag": 0.9, "hold": 0.2}}}},
        {"banned_words": ["**"]},
        {"surprise": True},
    ):
        r = client.post(PREVIEW, json=body, headers=cast.h(cast.admin))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["code"] == "validation_error"
