"""Site settings over HTTP: admins read and change them; each change validated whole and audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.models import AuditEntry, Site
from tests.cast import Cast
from tests.factories import SSO_SECRET, publisher_token
from tests.sites.keys import EC_KEY, RSA_KEY, ec_jwks, private_pem, public_pem, rsa_jwks, signed

URL = "/api/v1/sites/gazette"


def patch(client: TestClient, cast: Cast, body: dict[str, Any]) -> Any:
    return client.patch(URL, json=body, headers=cast.h(cast.admin))


def site_row(session: Session) -> dict[str, Any]:
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None
    return {
        c.name: getattr(site, c.key)
        for c in Site.__mapper__.columns  # type: ignore[attr-defined]
    }


def audit_count(session: Session) -> int:
    return (
        session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "site.update"))
        or 0
    )


def test_admin_reads_settings_without_secrets(client: TestClient, cast: Cast) -> None:
    r = client.get(URL, headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sso"]["secret"] == "set"
    assert SSO_SECRET not in r.text
    assert body["origins"] == ["https://news.example"]
    assert body["triage"]["thresholds"]["none"]["abuse"] == {"flag": 0.4, "hold": 0.7}
    assert "cunt" in body["triage"]["banned_words"]


def test_change_is_saved_normalised_and_audited(
    client: TestClient, cast: Cast, session: Session
) -> None:
    r = patch(
        client,
        cast,
        {
            "name": "The Gazette",
            "origins": ["HTTPS://News.Example/", "http://localhost:8001"],
            "edit_window_seconds": 600,
            "auto_close_days": 14,
            "subscribe_url": "https://news.example/join",
            "triage": {
                "thresholds": {"none": {"abuse": {"hold": 0.6}}},
                "banned_words": ["Sheep*", "dolt"],
            },
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["origins"] == ["https://news.example", "http://localhost:8001"]
    assert body["triage"]["thresholds"]["none"]["abuse"] == {"flag": 0.4, "hold": 0.6}
    assert body["triage"]["thresholds"]["part"]["abuse"] == {"flag": 0.4, "hold": 0.95}
    assert body["triage"]["banned_words"] == ["sheep*", "dolt"]
    assert set(body["changed"]) >= {"name", "origins", "edit_window_seconds", "triage"}
    row = site_row(session)
    assert row["edit_window_seconds"] == 600 and row["auto_close_days"] == 14
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.update")).one()
    assert entry.actor_id == cast.admin.id and "origins" in (entry.note or "")
    assert entry.before_digest != entry.after_digest


def test_auto_close_days_closes_old_stories(
    client: TestClient, cast: Cast, clock: FrozenClock
) -> None:
    assert patch(client, cast, {"auto_close_days": 2}).status_code == 200
    clock.advance(days=3)
    r = client.post(
        "/api/v1/sites/gazette/stories/story-1/comments",
        json={"body": "Late to the party"},
        headers=cast.h(cast.reader),
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "commenting_closed"


BAD = [
    ({"edit_window_seconds": -1}, "edit_window_seconds"),
    ({"origins": ["https://news.example/path"]}, "origins"),
    ({"origins": ["ftp://news.example"]}, "origins"),
    ({"origins": []}, "origins"),
    ({"subscribe_url": "javascript:alert(1)"}, "subscribe_url"),
    ({"sso": {"algorithms": ["none"]}}, "sso.algorithms"),
    ({"sso": {"algorithms": ["RS256"]}}, "sso.algorithms"),  # no key to check it with
    (
        {"sso": {"public_key": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"}},
        "sso.public_key",
    ),
    ({"sso": {"public_key": private_pem(RSA_KEY)}}, "sso.public_key"),
    ({"sso": {"jwks": {"keys": [{"kty": "RSA", "n": "x"}]}}}, "sso.jwks"),
    ({"sso": {"jwks": {"keys": []}}}, "sso.jwks"),
    ({"sso": {"jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}}}, "sso.jwks"),
    ({"sso": {"jwks_url": "file:///etc/passwd"}}, "sso.jwks_url"),
    ({"sso": {"secret": "short"}}, "sso.secret"),
    ({"sso": {"secret": None}}, "sso.secret"),  # HS256 is still allowed: it needs one
    (
        {"triage": {"thresholds": {"none": {"abuse": {"hold": 1.5}}}}},
        "triage.thresholds.none.abuse.hold",
    ),
    (
        {"triage": {"thresholds": {"full": {"spam": {"flag": 0.9, "hold": 0.5}}}}},
        "triage.thresholds.full.spam",
    ),
    ({"triage": {"thresholds": {"weekend": {}}}}, "triage.thresholds.weekend"),
    ({"triage": {"banned_words": ["a*b*c"]}}, "triage.banned_words"),
    ({"name": ""}, "name"),
    ({"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_names_the_field_and_saves_nothing(
    client: TestClient, cast: Cast, session: Session, body: dict[str, Any], field: str
) -> None:
    before = site_row(session)
    # A valid change beside the bad one must not be saved either.
    r = patch(
        client,
        cast,
        {"edit_window_seconds": 999, **body} if "edit_window_seconds" not in body else body,
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert field in json.dumps(error)
    assert site_row(session) == before
    assert audit_count(session) == 0


def test_rs256_inline_jwks_signs_readers_in(client: TestClient, cast: Cast) -> None:
    r = patch(client, cast, {"sso": {"algorithms": ["RS256"], "jwks": rsa_jwks("k1")}})
    assert r.status_code == 200, r.text
    assert r.json()["sso"]["algorithms"] == ["RS256"]
    token = signed("RS256", RSA_KEY, kid="k1", now=cast.clock())
    r = client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": token})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["display_name"] == "Rosa Signed"
    # HS256 is no longer allowed, even with the right secret.
    r = client.post(
        "/api/v1/auth/sso", json={"site_id": "gazette", "token": publisher_token(cast.clock())}
    )
    assert r.status_code == 401


def test_es256_pem_with_issuer_and_audience(client: TestClient, cast: Cast) -> None:
    r = patch(
        client,
        cast,
        {
            "sso": {
                "algorithms": ["ES256"],
                "public_key": public_pem(EC_KEY),
                "issuer": "https://id.news.example",
                "audience": "comments",
            }
        },
    )
    assert r.status_code == 200, r.text
    good = signed("ES256", EC_KEY, now=cast.clock(), aud="comments", iss="https://id.news.example")
    assert (
        client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": good}).status_code
        == 200
    )
    wrong_iss = signed(
        "ES256", EC_KEY, now=cast.clock(), aud="comments", iss="https://evil.example"
    )
    assert (
        client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": wrong_iss}).status_code
        == 401
    )
    assert patch(client, cast, {"sso": {"jwks": ec_jwks()}}).status_code == 200


def test_hs256_rotation_accepts_the_old_secret_until_the_grace_ends(
    client: TestClient, cast: Cast, clock: FrozenClock
) -> None:
    new_secret = "a-brand-new-publisher-secret-0123456789"
    r = patch(client, cast, {"sso": {"secret": new_secret, "secret_grace_seconds": 3600}})
    assert r.status_code == 200, r.text
    sso = r.json()["sso"]
    assert sso["secret"] == "set" and sso["previous_secret"] == "set"
    assert new_secret not in r.text and SSO_SECRET not in r.text
    old = publisher_token(clock(), secret=SSO_SECRET)
    new = publisher_token(clock(), secret=new_secret, sub="reader-2")
    forged = publisher_token(clock(), secret="some-other-secret-0123456789abcdef")
    for token, status in ((old, 200), (new, 200), (forged, 401)):
        r = client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": token})
        assert r.status_code == status, r.text
    clock.advance(seconds=3601)
    late_old = publisher_token(clock(), secret=SSO_SECRET)
    r = client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": late_old})
    assert r.status_code == 401
    assert client.get(URL, headers=cast.h(cast.admin)).json()["sso"]["previous_secret"] == "not set"
    late_new = publisher_token(clock(), secret=new_secret)
    assert (
        client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": late_new}).status_code
        == 200
    )


def test_rotation_without_grace_drops_the_old_secret_at_once(
    client: TestClient, cast: Cast, clock: FrozenClock
) -> None:
    r = patch(client, cast, {"sso": {"secret": "x" * 40, "secret_grace_seconds": 0}})
    assert r.status_code == 200 and r.json()["sso"]["previous_secret"] == "not set"
    old = publisher_token(clock(), secret=SSO_SECRET)
    assert (
        client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": old}).status_code
        == 401
    )


def test_unchanged_patch_writes_no_audit(client: TestClient, cast: Cast, session: Session) -> None:
    r = patch(client, cast, {"name": "The Test Gazette"})
    assert r.status_code == 200 and r.json()["changed"] == []
    assert audit_count(session) == 0


def test_unknown_site_is_forbidden_not_leaked(client: TestClient, cast: Cast) -> None:
    r = client.get("/api/v1/sites/nope", headers=cast.h(cast.admin))
    assert r.status_code == 403


def test_story_tokens_get_no_grace_period_after_a_rotation(
    client: TestClient, cast: Cast, clock: FrozenClock
) -> None:
    from belowline.stories.story_token import sign_story_token

    new_secret = "a-brand-new-publisher-secret-0123456789"
    r = patch(client, cast, {"sso": {"secret": new_secret, "secret_grace_seconds": 3600}})
    assert r.status_code == 200 and r.json()["sso"]["previous_secret"] == "set"
    # Sign-in tokens under the old secret still work during the grace period...
    old_login = publisher_token(clock(), secret=SSO_SECRET)
    r = client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": old_login})
    assert r.status_code == 200, r.text
    # ...story tokens do not: a page still carrying one can no longer create stories.
    url = "/api/v1/sites/gazette/stories/{}/comments"
    for story, secret, status in (("old", SSO_SECRET, 403), ("new", new_secret, 201)):
        token = sign_story_token(secret=secret, site_id="gazette", story_id=story)
        r = client.post(
            url.format(story),
            json={"body": "first", "story_token": token},
            headers=cast.h(cast.author),
        )
        assert r.status_code == status, r.text
        events = f"/api/v1/sites/gazette/stories/{story}-stream/events"
        stream_token = sign_story_token(
            secret=secret, site_id="gazette", story_id=f"{story}-stream"
        )
        if status == 403:
            assert r.json()["error"]["code"] == "invalid_story_token"
            assert client.get(events, params={"story_token": stream_token}).status_code == 404
    # A story token is no sign-in token, under either secret.
    for secret in (SSO_SECRET, new_secret):
        story_token = sign_story_token(secret=secret, site_id="gazette", story_id="old")
        r = client.post("/api/v1/auth/sso", json={"site_id": "gazette", "token": story_token})
        assert r.status_code == 401
