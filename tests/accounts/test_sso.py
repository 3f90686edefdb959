"""SSO exchange: every algorithm the contract allows, and every way a token can be wrong."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.clock import FrozenClock
from tests.factories import SSO_SECRET, make_user, make_world, publisher_token

SSO = "/api/v1/auth/sso"


def _exchange(client: TestClient, token: str, site_id: str = "gazette") -> tuple[int, dict]:
    r = client.post(SSO, json={"site_id": site_id, "token": token})
    return r.status_code, r.json()


def test_sso_hs256_creates_subscriber(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    status, body = _exchange(client, publisher_token(clock()))
    assert status == 200, body
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["user"]["display_name"] == "Rita Reader"
    assert body["user"]["subscription"] == "active"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["subscriber"] is True
    assert me.json()["current_terms_version"] == 1


def test_sso_second_exchange_updates_same_user(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    _exchange(client, publisher_token(clock()))
    status, body = _exchange(client, publisher_token(clock(), subscriber=False, name="Rita R."))
    assert status == 200
    assert body["user"]["display_name"] == "Rita R."
    assert body["user"]["subscription"] in ("none", "lapsed")
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_sso_lapsed_subscription_by_expiry(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    expired = int(clock().timestamp()) - 86400
    token = publisher_token(clock(), subscriber=None, subscription_expires_at=expired)
    status, body = _exchange(client, token)
    assert status == 200
    assert body["user"]["subscription"] == "lapsed"
    r = client.post(
        "/api/v1/sites/gazette/stories/story-1/comments",
        json={"body": "hi", "accept_terms_version": 1},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "subscription_required"


def _none_token(now: datetime) -> str:
    def b64(d: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    ts = int(now.timestamp())
    return (
        b64({"alg": "none", "typ": "JWT"})
        + "."
        + b64({"sub": "x", "aud": "gazette", "exp": ts + 300, "subscriber": True})
        + "."
    )


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda now: publisher_token(now, secret="wrong-secret-" * 6), id="forged"),
        pytest.param(
            lambda now: publisher_token(now, exp=int(now.timestamp()) - 3600), id="expired"
        ),
        pytest.param(lambda now: publisher_token(now, aud="other-site"), id="wrong-audience"),
        pytest.param(lambda now: publisher_token(now, alg="HS512"), id="wrong-algorithm"),
        pytest.param(_none_token, id="alg-none"),
        pytest.param(
            lambda now: publisher_token(now, nbf=int(now.timestamp()) + 3600), id="not-yet-valid"
        ),
        pytest.param(lambda now: "not.a.jwt", id="garbage"),
        pytest.param(
            lambda now: jwt.encode(
                {"aud": "gazette", "exp": int(now.timestamp()) + 60}, SSO_SECRET, algorithm="HS256"
            ),
            id="no-sub",
        ),
    ],
)
def test_sso_bad_tokens_rejected(
    client: TestClient, session: Session, clock: FrozenClock, make_token
) -> None:  # type: ignore[no-untyped-def]
    make_world(session, clock())
    status, body = _exchange(client, make_token(clock()))
    assert status == 401
    assert body["error"]["code"] == "invalid_token"
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_sso_unknown_site_is_invalid_token(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    status, body = _exchange(client, publisher_token(clock()), site_id="nope")
    assert status == 401
    assert body["error"]["code"] == "invalid_token"


def test_sso_small_leeway_accepts_just_expired(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    status, _ = _exchange(client, publisher_token(clock(), exp=int(clock().timestamp()) - 10))
    assert status == 200


def test_sso_issuer_checked_when_configured(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    world.site.sso_issuer = "https://news.example"
    session.commit()
    assert _exchange(client, publisher_token(clock()))[0] == 401
    assert _exchange(client, publisher_token(clock(), iss="https://evil.example"))[0] == 401
    assert _exchange(client, publisher_token(clock(), iss="https://news.example"))[0] == 200


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_sso_asymmetric_public_key(
    client: TestClient, session: Session, clock: FrozenClock, alg: str
) -> None:
    world = make_world(session, clock())
    private = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if alg == "RS256"
        else ec.generate_private_key(ec.SECP256R1())
    )
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    world.site.sso_secret = None
    world.site.sso_public_key = pem
    world.site.sso_algorithms = [alg]
    session.commit()
    ts = int(clock().timestamp())
    claims = {
        "sub": "k1",
        "name": "Key Reader",
        "subscriber": True,
        "aud": "gazette",
        "exp": ts + 60,
    }
    assert _exchange(client, jwt.encode(claims, private, algorithm=alg))[0] == 200
    # HS256 signed with the public key text must not pass (algorithm confusion).
    forged = jwt.encode(claims, SSO_SECRET, algorithm="HS256")
    assert _exchange(client, forged)[0] == 401


def test_sso_jwks_with_kid(client: TestClient, session: Session, clock: FrozenClock) -> None:
    world = make_world(session, clock())
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    jwk["kid"] = "k-2026"
    world.site.sso_secret = None
    world.site.sso_jwks = {"keys": [jwk]}
    world.site.sso_algorithms = ["ES256"]
    session.commit()
    ts = int(clock().timestamp())
    claims = {"sub": "j1", "subscriber": True, "aud": "gazette", "exp": ts + 60}
    good = jwt.encode(claims, private, algorithm="ES256", headers={"kid": "k-2026"})
    assert _exchange(client, good)[0] == 200
    other = ec.generate_private_key(ec.SECP256R1())
    bad = jwt.encode(claims, other, algorithm="ES256", headers={"kid": "k-2026"})
    assert _exchange(client, bad)[0] == 401


def test_login_local_and_wrong_password_same_answer(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    make_user(session, world.site, clock(), email="mo@example.com", password="a-long-password")
    ok = client.post(
        "/api/v1/auth/login",
        json={"site_id": "gazette", "email": "MO@example.com", "password": "a-long-password"},
    )
    assert ok.status_code == 200
    wrong = client.post(
        "/api/v1/auth/login",
        json={"site_id": "gazette", "email": "mo@example.com", "password": "nope-nope"},
    )
    missing = client.post(
        "/api/v1/auth/login",
        json={"site_id": "gazette", "email": "ghost@example.com", "password": "x"},
    )
    assert wrong.status_code == missing.status_code == 401
    assert wrong.json() == missing.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_access_token_expiry_and_tampering(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    _, body = _exchange(client, publisher_token(clock()))
    token = body["access_token"]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tampered}"})
    assert r.status_code == 401
    clock.advance(seconds=3601)
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"
    assert client.get("/api/v1/me").json()["error"]["code"] == "not_authenticated"


def test_sso_first_exchanges_at_once_make_one_user(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    """Two widgets on a page sign a new reader in at the same moment: both succeed, one user."""
    from concurrent.futures import ThreadPoolExecutor

    make_world(session, clock())
    token = publisher_token(clock())
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: _exchange(client, token), range(12)))
    assert [status for status, _ in answers] == [200] * 12, answers
    assert len({body["user"]["id"] for _, body in answers}) == 1
    assert session.scalar(select(func.count()).select_from(User)) == 1
