"""DNS rebinding: a receiver's name is resolved at delivery, checked, and connected to as is."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from belowline.clock import FrozenClock
from belowline.settings import Settings
from belowline.webhooks import urls
from tests.asyncrun import run_async
from tests.cast import post
from tests.webhooks.receiver import receiver
from tests.webhooks.test_webhooks import HOOKS, SECRET, _app, _drain, _scene


def _answers(*rounds: list[str]) -> tuple[urls.Resolver, list[str]]:
    """A DNS server whose answer changes from one lookup to the next (the rebinding attack)."""
    asked: list[str] = []

    async def resolve(host: str, port: int, **_kw: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        addresses = rounds[min(len(asked), len(rounds)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return resolve, asked


def _register(client: TestClient, url: str, cast: Any) -> None:
    r = client.post(
        HOOKS,
        json={"url": url, "events": ["comment.created"], "secret": SECRET},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 201, r.text


def _sender(app: FastAPI) -> Any:
    return app.state.outbox_worker.handlers["webhook"].__self__


def test_a_name_that_resolves_to_loopback_is_refused_at_delivery(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    with receiver() as rx:
        port = rx.url.split(":")[2].split("/")[0]
        with TestClient(_app(settings, clock, engine)) as client:  # allowed at save time
            cast = _scene(client, clock, engine)
            _register(client, f"http://localhost:{port}/hooks", cast)
        strict = _app(settings, clock, engine, webhook_allow_private_urls=False)
        with TestClient(strict) as client:
            post(client, cast, cast.author, "localhost is not a public receiver.")
            assert _drain(client) == 1
            assert rx.requests == []
            [hook] = client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"]
            error = hook["recent_deliveries"][0]["error"]
            assert error.startswith("refused")
            assert "127.0.0.1" in error or "::1" in error


def test_the_connection_goes_to_the_checked_address_without_a_second_lookup(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    """`.invalid` never resolves for real: only the pinned answer can reach the receiver."""
    with receiver() as rx:
        port = rx.url.split(":")[2].split("/")[0]
        app = _app(settings, clock, engine)
        resolve, asked = _answers(["127.0.0.1"], ["10.9.9.9"])
        _sender(app).resolve = resolve
        with TestClient(app) as client:
            cast = _scene(client, clock, engine)
            _register(client, f"http://hooks.rebind.invalid:{port}/in", cast)
            post(client, cast, cast.author, "Delivered to the address that was checked.")
            assert _drain(client) == 1
        assert asked == ["hooks.rebind.invalid"]  # one lookup per delivery
        [got] = rx.requests
        assert got.path == "/in"
        assert got.headers["host"] == f"hooks.rebind.invalid:{port}"


def test_a_rebound_name_is_refused_when_any_answer_is_private(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    with receiver() as rx:
        app = _app(settings, clock, engine)
        with TestClient(app) as client:
            cast = _scene(client, clock, engine)
            _register(client, "https://hooks.rebind.invalid/in", cast)
        strict = _app(settings, clock, engine, webhook_allow_private_urls=False)
        resolve, asked = _answers(["93.184.215.14", "127.0.0.1"])
        _sender(strict).resolve = resolve
        with TestClient(strict) as client:
            post(client, cast, cast.author, "Half public, half loopback: refused.")
            assert _drain(client) == 1
            [hook] = client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"]
            assert "127.0.0.1" in hook["recent_deliveries"][0]["error"]
        assert asked == ["hooks.rebind.invalid"]
        assert rx.requests == []


@pytest.mark.parametrize(
    ("url", "answer", "pinned", "host", "sni"),
    [
        (
            "https://hooks.example.com/in?x=1",
            ["93.184.215.14"],
            "https://93.184.215.14/in?x=1",
            "hooks.example.com",
            "hooks.example.com",
        ),
        (
            "http://hooks.example.com:8080/in",
            ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8080/in",
            "hooks.example.com:8080",
            None,
        ),
        (
            "https://93.184.215.14:8443/x",
            [],
            "https://93.184.215.14:8443/x",
            "93.184.215.14:8443",
            None,
        ),
    ],
)
def test_pinning_keeps_the_name_for_host_and_tls(
    url: str, answer: list[str], pinned: str, host: str, sni: str | None
) -> None:
    resolve, asked = _answers(answer)
    got = run_async(lambda: urls.pin_delivery(url, allow_private=False, resolve=resolve))
    assert (got.url, got.host_header, got.sni_hostname) == (pinned, host, sni)
    assert len(asked) == (1 if answer else 0)  # a literal address is not looked up


def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def fail(host: str, port: int, **_kw: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(urls.UnsafeAddress, match="does not resolve"):
        run_async(
            lambda: urls.pin_delivery("http://gone.invalid/", allow_private=True, resolve=fail)
        )
