"""SSO against hostile tokens and publishers' key servers: always a 401, never a 500, and
a JWKS URL fetched sparingly (a real local HTTP server counts the fetches)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.jwks import JwksCache
from belowline.clock import FrozenClock
from tests.factories import SSO_SECRET, make_world

SSO = "/api/v1/auth/sso"


def _claims(clock: FrozenClock, **over: Any) -> dict[str, Any]:
    ts = int(clock().timestamp())
    return {"sub": "r1", "subscriber": True, "aud": "gazette", "exp": ts + 60, **over}


def _exchange(client: TestClient, token: str) -> Any:
    r = client.post(SSO, json={"site_id": "gazette", "token": token})
    assert r.status_code < 500, r.text
    return r


def test_a_key_of_the_wrong_type_for_the_algorithm_is_401(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    world.site.sso_secret = None
    world.site.sso_public_key = (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    world.site.sso_algorithms = ["RS256", "ES256"]
    session.commit()
    es_token = jwt.encode(_claims(clock), ec.generate_private_key(ec.SECP256R1()), "ES256")
    r = _exchange(client, es_token)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "subscription_expires_at"])
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "12345", True])
def test_only_numeric_dates_are_accepted(
    client: TestClient, session: Session, clock: FrozenClock, claim: str, value: Any
) -> None:
    make_world(session, clock())
    token = jwt.encode(_claims(clock, **{claim: value}), SSO_SECRET, "HS256")
    r = _exchange(client, token)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "invalid_token"


class _KeyServer:
    """A JWKS endpoint on a free local port that counts how often it is fetched."""

    def __init__(self, cache_control: str) -> None:
        self.fetches = 0
        self.keys: list[dict[str, Any]] = []
        self.cache_control = cache_control
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.fetches += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("cache-control", outer.cache_control)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add_key(self, kid: str) -> ec.EllipticCurvePrivateKey:
        private = ec.generate_private_key(ec.SECP256R1())
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
        self.keys.append({**jwk, "kid": kid})
        return private


@pytest.fixture
def key_server() -> Iterator[_KeyServer]:
    server = _KeyServer("public, max-age=600")
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


class _Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_jwks_by_url_is_cached_and_refetched_sparingly(
    app: FastAPI, client: TestClient, session: Session, clock: FrozenClock, key_server: _KeyServer
) -> None:
    ticker = _Ticker()
    app.state.jwks = JwksCache(clock=ticker, min_refetch_interval=60)
    world = make_world(session, clock())
    world.site.sso_secret = None
    world.site.sso_jwks_url = key_server.url
    world.site.sso_algorithms = ["ES256"]
    session.commit()
    first = key_server.add_key("k1")

    def token(private: Any, kid: str) -> str:
        return jwt.encode(_claims(clock), private, "ES256", headers={"kid": kid})

    for _ in range(10):
        assert _exchange(client, token(first, "k1")).status_code == 200
    assert key_server.fetches == 1  # one fetch serves many sign-ins

    # Unknown kids: at most one refetch per minimum interval, however many arrive.
    stranger = ec.generate_private_key(ec.SECP256R1())
    ticker.now += 61
    for i in range(20):
        assert _exchange(client, token(stranger, f"nope-{i}")).status_code == 401
    assert key_server.fetches == 2

    # A rotated key is picked up on the next allowed refetch.
    second = key_server.add_key("k2")
    assert _exchange(client, token(second, "k2")).status_code == 401  # within the interval
    ticker.now += 61
    assert _exchange(client, token(second, "k2")).status_code == 200
    assert key_server.fetches == 3

    # The document's max-age (600 s, not the default 300) is honoured, then refetched once.
    ticker.now += 400
    assert _exchange(client, token(first, "k1")).status_code == 200
    assert key_server.fetches == 3
    ticker.now += 201
    for _ in range(5):
        assert _exchange(client, token(first, "k1")).status_code == 200
    assert key_server.fetches == 4


def test_an_unreachable_jwks_url_is_401(
    app: FastAPI, client: TestClient, session: Session, clock: FrozenClock
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    world = make_world(session, clock())
    world.site.sso_secret = None
    world.site.sso_jwks_url = f"http://127.0.0.1:{port}/jwks.json"
    world.site.sso_algorithms = ["ES256"]
    session.commit()
    private = ec.generate_private_key(ec.SECP256R1())
    r = _exchange(client, jwt.encode(_claims(clock), private, "ES256", headers={"kid": "x"}))
    assert r.status_code == 401
