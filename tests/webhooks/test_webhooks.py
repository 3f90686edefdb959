"""Signed webhooks end to end: a real HTTP receiver, the outbox worker, retries, SSRF refusal."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.db import make_sessionmaker
from belowline.models import OutboxMessage, Webhook
from belowline.settings import Settings
from tests.asyncrun import run_async
from tests.cast import Cast, make_cast, post, report
from tests.webhooks.receiver import receiver, wait_for

SECRET = "a-shared-secret-of-some-length"
HOOKS = "/api/v1/sites/gazette/webhooks"
ALL = ["comment.created", "comment.decided", "report.created", "user.sanctioned"]


def _app(settings: Settings, clock: FrozenClock, engine: Engine, **kw: object) -> FastAPI:
    values = {
        **settings.model_dump(),
        "webhook_allow_private_urls": True,
        "outbox_worker": False,
        **kw,
    }
    return create_app(Settings(**values), clock=clock, engine=engine)


@pytest.fixture
def hook_client(settings: Settings, clock: FrozenClock, engine: Engine) -> Iterator[TestClient]:
    with TestClient(_app(settings, clock, engine)) as c:
        yield c


def _scene(client: TestClient, clock: FrozenClock, engine: Engine) -> Cast:
    with make_sessionmaker(engine)() as s:
        cast = make_cast(s, clock)
        s.commit()
    return cast


def _drain(client: TestClient) -> int:
    app: FastAPI = client.app  # type: ignore[assignment]
    return int(run_async(app.state.outbox_worker.run_once))


def _sig(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_events_are_delivered_signed(
    hook_client: TestClient, clock: FrozenClock, engine: Engine
) -> None:
    cast = _scene(hook_client, clock, engine)
    with receiver() as rx:
        r = hook_client.post(
            HOOKS, json={"url": rx.url, "events": ALL, "secret": SECRET}, headers=cast.h(cast.admin)
        )
        assert r.status_code == 201, r.text
        assert r.json()["secret"] == SECRET
        comment_id = post(hook_client, cast, cast.author, "Webhooks should hear about this.")
        assert report(hook_client, cast, cast.reader, comment_id).status_code == 201
        r = hook_client.post(
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            json={"action": "remove", "rule_id": "respect"},
            headers=cast.h(cast.mod),
        )
        assert r.status_code == 201, r.text
        r = hook_client.post(
            f"/api/v1/moderation/users/{cast.author.id}/sanctions",
            json={"kind": "warn", "rule_id": "respect"},
            headers=cast.h(cast.mod),
        )
        assert r.status_code == 201, r.text
        assert _drain(hook_client) == 4
        assert [json.loads(q.body)["event"] for q in rx.requests] == [
            "comment.created",
            "report.created",
            "comment.decided",
            "user.sanctioned",
        ]
        for q in rx.requests:
            assert q.headers["x-belowline-signature"] == _sig(q.body)
            envelope = json.loads(q.body)
            assert set(envelope) == {"event", "id", "created_at", "data"}
        created = json.loads(rx.requests[0].body)["data"]["comment"]
        assert created["id"] == comment_id and "Webhooks should hear" in created["body_html"]
        decided = json.loads(rx.requests[2].body)["data"]
        assert decided["action"] == "remove" and decided["comment_id"] == comment_id
        sanctioned = json.loads(rx.requests[3].body)["data"]
        assert sanctioned["user_id"] == cast.author.id and sanctioned["kind"] == "warn"
    listing = hook_client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"]
    assert "secret" not in listing[0]
    log = listing[0]["recent_deliveries"]
    assert len(log) == 4 and all(d["ok"] and d["status_code"] == 200 for d in log)
    assert log[0]["response"] == "thanks"


def test_a_503_is_retried_with_backoff_and_the_same_signed_body(
    hook_client: TestClient, clock: FrozenClock, engine: Engine
) -> None:
    cast = _scene(hook_client, clock, engine)
    with receiver() as rx:
        rx.statuses = [503]
        hook_client.post(
            HOOKS,
            json={"url": rx.url, "events": ["comment.created"], "secret": SECRET},
            headers=cast.h(cast.admin),
        )
        post(hook_client, cast, cast.author, "Delivered on the second try.")
        assert _drain(hook_client) == 1
        assert len(rx.requests) == 1
        assert _drain(hook_client) == 0  # backing off: not due yet
        clock.advance(seconds=7)
        assert _drain(hook_client) == 1
        assert len(rx.requests) == 2
        first, second = rx.requests
        assert first.body == second.body
        assert second.headers["x-belowline-signature"] == _sig(second.body)
    log = hook_client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"][0]
    answers = [(d["attempt"], d["status_code"], d["ok"]) for d in log["recent_deliveries"]]
    assert answers == [(2, 200, True), (1, 503, False)]
    with make_sessionmaker(engine)() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "webhook")).one()
        assert row.status == "sent" and row.attempts == 2


def test_a_receiver_that_never_answers_does_not_slow_posting(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    app = _app(settings, clock, engine, outbox_worker=True, webhook_timeout_seconds=3.0)
    app.state.outbox_worker.interval = 0.05
    with TestClient(app) as client, receiver() as rx:
        cast = _scene(client, clock, engine)
        rx.hang = True
        client.post(
            HOOKS,
            json={"url": rx.url, "events": ["comment.created"], "secret": SECRET},
            headers=cast.h(cast.admin),
        )
        post(client, cast, cast.author, "The first one wakes the receiver up.")
        assert wait_for(lambda: len(rx.requests) >= 1)  # the worker is now stuck on it
        timings = []
        for i in range(5):
            started = time.perf_counter()
            post(client, cast, cast.author, f"Posting while the receiver hangs, {i}.")
            timings.append(time.perf_counter() - started)
        assert max(timings) < 1.0, timings
        # The hung attempt times out and is logged as a failure for a retry.
        assert wait_for(
            lambda: client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"][0][
                "recent_deliveries"
            ],
            timeout=10,
        )
        log = client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"][0]
        assert log["recent_deliveries"][0]["error"].startswith("timeout")


def test_private_addresses_are_refused_at_registration_and_delivery(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    with receiver() as rx:
        allowed = _app(settings, clock, engine)
        with TestClient(allowed) as client:
            cast = _scene(client, clock, engine)
            r = client.post(
                HOOKS,
                json={"url": rx.url, "events": ["comment.created"], "secret": SECRET},
                headers=cast.h(cast.admin),
            )
            assert r.status_code == 201
        strict = _app(settings, clock, engine, webhook_allow_private_urls=False)
        with TestClient(strict) as client:
            for url in (
                rx.url,
                "http://localhost:9/x",
                "http://10.1.2.3/x",
                "http://169.254.169.254/latest/meta-data",
                "http://[::1]:8080/x",
                "http://192.168.0.10/x",
            ):
                r = client.post(
                    HOOKS,
                    json={"url": url, "events": ["comment.created"]},
                    headers=cast.h(cast.admin),
                )
                assert r.status_code == 422, (url, r.text)
                assert r.json()["error"]["code"] == "validation_error"
            # The hook registered while allowed is refused at delivery time, without a request.
            post(client, cast, cast.author, "Nobody on the private network hears this.")
            assert _drain(client) == 1
            assert rx.requests == []
            log = client.get(HOOKS, headers=cast.h(cast.admin)).json()["webhooks"][0]
            assert log["recent_deliveries"][0]["error"].startswith("refused")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x", "events": ["comment.created"]}, "url"),
        ({"url": "not a url", "events": ["comment.created"]}, "url"),
        ({"url": "http://user:pw@example.com/", "events": ["comment.created"]}, "url"),
        ({"url": "https://example.com/x", "events": []}, "events"),
        ({"url": "https://example.com/x", "events": ["comment.exploded"]}, "events"),
        (
            {"url": "https://example.com/x", "events": ["comment.created"], "secret": "short"},
            "secret",
        ),
    ],
)
def test_bad_webhooks_are_422_and_nothing_is_written(
    hook_client: TestClient, clock: FrozenClock, engine: Engine, body: dict[str, object], field: str
) -> None:
    cast = _scene(hook_client, clock, engine)
    r = hook_client.post(HOOKS, json=body, headers=cast.h(cast.admin))
    assert r.status_code == 422, r.text
    assert field in r.text
    for shape in ({"url": 5, "events": "x"}, {"url": "https://example.com", "events": [], "x": 1}):
        assert hook_client.post(HOOKS, json=shape, headers=cast.h(cast.admin)).status_code == 422
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count(Webhook.id))) == 0


def test_delete_stops_deliveries_and_unknown_ids_are_404(
    hook_client: TestClient, clock: FrozenClock, engine: Engine
) -> None:
    cast = _scene(hook_client, clock, engine)
    with receiver() as rx:
        hook_id = hook_client.post(
            HOOKS, json={"url": rx.url, "events": ["comment.created"]}, headers=cast.h(cast.admin)
        ).json()["id"]
        post(hook_client, cast, cast.author, "Queued before the hook is removed.")
        r = hook_client.delete(f"{HOOKS}/{hook_id}", headers=cast.h(cast.admin))
        assert r.status_code == 204
        assert (
            hook_client.delete(f"{HOOKS}/{hook_id}", headers=cast.h(cast.admin)).status_code == 404
        )
        assert hook_client.delete(f"{HOOKS}/99999", headers=cast.h(cast.admin)).status_code == 404
        assert hook_client.delete(f"{HOOKS}/abc", headers=cast.h(cast.admin)).status_code == 422
        post(hook_client, cast, cast.author, "After removal: not even queued.")
        _drain(hook_client)
        assert rx.requests == []
    assert hook_client.get(HOOKS, headers=cast.h(cast.admin)).json() == {"webhooks": []}
