"""The `subscriber_badge` setting: API, dashboard and CLI; validated, audited, shown in threads."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.cli import app as cli
from belowline.models import AuditEntry, Site, User
from tests.cast import COMMENTS_URL, Cast, post
from tests.dashboard.test_pages import sign_in
from tests.sites.test_settings_pages import form_of

URL = "/api/v1/sites/gazette"


def _subscriber(session: Session, cast: Cast) -> User:
    user = session.merge(cast.reader)
    user.is_subscriber = True
    session.commit()
    return user


def _badges(client: TestClient) -> dict[str, list[str]]:
    items = client.get(COMMENTS_URL).json()["items"]
    return {c["author"]["display_name"]: c["author"]["badges"] for c in items}


def _audits(session: Session) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "site.update")).all())


def test_api_turns_the_badge_on_audited_and_threads_show_it_at_once(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _subscriber(session, cast)
    post(client, cast, cast.reader, "A subscriber's view.")
    post(client, cast, cast.mod, "A word from the desk.")
    assert client.get(URL, headers=cast.h(cast.admin)).json()["subscriber_badge"] is False
    assert _badges(client) == {"Rita Reader": [], "Mona Moderator": ["staff"]}  # cached now

    r = client.patch(URL, json={"subscriber_badge": True}, headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    assert r.json()["subscriber_badge"] is True and r.json()["changed"] == ["subscriber_badge"]
    assert _badges(client) == {"Rita Reader": ["subscriber"], "Mona Moderator": ["staff"]}
    [entry] = _audits(session)
    assert entry.actor_id == cast.admin.id and entry.note == "Changed: subscriber_badge"

    # Saying it again changes nothing and writes no audit entry.
    again = client.patch(URL, json={"subscriber_badge": True}, headers=cast.h(cast.admin))
    assert again.status_code == 200 and again.json()["changed"] == []
    assert len(_audits(session)) == 1

    off = client.patch(URL, json={"subscriber_badge": False}, headers=cast.h(cast.admin))
    assert off.json()["subscriber_badge"] is False
    assert _badges(client)["Rita Reader"] == []


@pytest.mark.parametrize("value", ["yes", 1, None, [True]])
def test_a_bad_value_is_422_and_nothing_is_saved(
    client: TestClient, cast: Cast, session: Session, value: Any
) -> None:
    r = client.patch(
        URL, json={"subscriber_badge": value, "edit_window_seconds": 60}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation_error"
    assert "subscriber_badge" in r.text
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None and site.edit_window_seconds != 60
    assert "subscriber_badge" not in (site.settings or {})
    assert _audits(session) == []


def test_only_admins_may_change_it(client: TestClient, cast: Cast) -> None:
    for user in (None, cast.reader, cast.mod, cast.other_mod):
        r = client.patch(URL, json={"subscriber_badge": True}, headers=cast.h(user))
        assert r.status_code in (401, 403), (user, r.text)


def test_dashboard_settings_page_switches_it(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    client = dash()
    sign_in(client, cast.admin)
    page = client.get("/moderate/settings")
    assert 'name="subscriber_badge"' in page.text
    data = form_of(page.text)
    assert "subscriber_badge" not in data  # unchecked
    r = client.post("/moderate/settings", data={**data, "subscriber_badge": "on"})
    assert r.status_code == 303, r.text
    assert "subscriber_badge" in r.headers["location"]
    session.expire_all()
    assert (session.get(Site, "gazette").settings or {})["subscriber_badge"] is True  # type: ignore[union-attr]
    shown = form_of(client.get("/moderate/settings").text)
    assert shown["subscriber_badge"] == "on"
    assert client.post("/moderate/settings", data=data).status_code == 303  # unchecked again
    session.expire_all()
    assert (session.get(Site, "gazette").settings or {})["subscriber_badge"] is False  # type: ignore[union-attr]
    assert [e.note for e in _audits(session)] == ["Changed: subscriber_badge"] * 2


def test_cli_switches_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, cast: Cast, session: Session
) -> None:
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli_sites.system_clock", cast.clock)
    runner = CliRunner()
    r = runner.invoke(cli, ["sites", "update", "gazette", "--subscriber-badge", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout[r.stdout.index("{") :])["subscriber_badge"] is True
    shown = runner.invoke(cli, ["sites", "show", "gazette"])
    assert "subscriber badge: on" in shown.stdout
    r = runner.invoke(cli, ["sites", "update", "gazette", "--no-subscriber-badge"])
    assert r.exit_code == 0 and "Changed: subscriber_badge" in r.output
    [first, second] = _audits(session)
    assert first.actor_role == "system" and second.note == "Changed: subscriber_badge"
