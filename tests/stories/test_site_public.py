from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from tests.factories import ORIGIN, make_world


def test_site_public_settings_for_the_embed(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    r = client.get("/api/v1/sites/gazette/public", headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ORIGIN
    body = r.json()
    assert body["name"] == "The Test Gazette"
    assert body["subscribe_url"] == "https://news.example/subscribe"
    assert body["signin_url"] is None
    assert body["edit_window_seconds"] == 300
    assert body["max_comment_length"] == 3000
    assert body["rules_url"] == "/sites/gazette/rules"
    assert "sso_secret" not in body
    assert "api_key_hash" not in body


def test_site_public_unknown_site(client: TestClient) -> None:
    r = client.get("/api/v1/sites/nope/public")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "site_not_found"
