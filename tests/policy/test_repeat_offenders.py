"""The repeat-offender ladder: three removals in 30 days pre-moderate for 7 days, with reasons."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.policy.models import UserFlag
from belowline.sanctions.models import Sanction
from tests.cast import COMMENTS_URL, Cast, decide, post
from tests.policy.test_policy import FINE, site_policy


def _remove(client: TestClient, cast: Cast, n: int) -> int:
    cid = post(client, cast, cast.author, f"{FINE} ({n})")
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    return cid


def test_third_removal_premoderates_and_prompts_a_suspension(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _remove(client, cast, 1)
    cast.clock.advance(days=10)
    _remove(client, cast, 2)
    assert session.scalars(select(Sanction)).all() == []
    cast.clock.advance(days=10)
    _remove(client, cast, 3)
    [sanction] = session.scalars(select(Sanction)).all()
    assert sanction.kind == "premoderate"
    assert sanction.automated is True
    assert sanction.actor_id is None
    assert sanction.until == cast.clock() + timedelta(days=7)
    assert sanction.rule_key == "respect"
    r = client.post(COMMENTS_URL, json={"body": FINE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "held"
    notes = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    statement = next(n for n in notes if n["kind"] == "sanction")
    assert "3 comments removed in the last 30 days" in statement["body"]
    assert statement["automated"] is True
    history = client.get(f"/api/v1/moderation/users/{cast.author.id}", headers=cast.h(cast.mod))
    [flag] = history.json()["flags"]
    assert flag["kind"] == "consider_suspension"
    assert "3 comments removed" in flag["reason"]
    # Seven days later the author posts freely again.
    cast.clock.advance(days=7, seconds=1)
    r = client.post(COMMENTS_URL, json={"body": FINE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "published"


def test_removals_spread_out_or_restored_do_not_count(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _remove(client, cast, 1)
    cast.clock.advance(days=31)
    _remove(client, cast, 2)
    restored = _remove(client, cast, 3)
    assert session.scalars(select(Sanction)).all() == []
    assert decide(client, cast, cast.mod, restored, action="restore").status_code == 201
    _remove(client, cast, 4)  # the window holds 2 and 4 (3 was restored): still under 3
    assert session.scalars(select(Sanction)).all() == []
    _remove(client, cast, 5)
    assert len(session.scalars(select(Sanction)).all()) == 1
    assert len(session.scalars(select(UserFlag)).all()) == 1


def test_the_ladder_is_configurable(client: TestClient, cast: Cast, session: Session) -> None:
    site_policy(
        session,
        repeat_offenders=[
            {"removals": 2, "within_days": 7, "premoderate_days": 1, "prompt_suspension": False}
        ],
    )
    _remove(client, cast, 1)
    _remove(client, cast, 2)
    [sanction] = session.scalars(select(Sanction)).all()
    assert sanction.until == cast.clock() + timedelta(days=1)
    assert session.scalars(select(UserFlag)).all() == []
