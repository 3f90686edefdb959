"""/metrics after real traffic: request, moderation and queue figures, and who may scrape."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY, generate_latest
from sqlalchemy import Engine

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.settings import Settings
from tests.cast import COMMENTS_URL, Cast, post, report


def _value(text: str, name: str, **labels: str) -> float:
    """The sample of `name` whose labels include these (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_posting_then_scraping_shows_the_figures(client: TestClient, cast: Cast) -> None:
    # Counters are the process's (other tests count too): compare with the figures before.
    # Not by scraping: the queue block is cached for a few seconds per database.
    before = generate_latest(REGISTRY).decode()
    comment_id = post(client, cast, cast.author, "Counted by the metrics endpoint.")
    assert report(client, cast, cast.reader, comment_id).status_code == 201
    r = client.post(
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        json={"action": "approve", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    other = post(client, cast, cast.author, "Waiting in the Reported queue.")
    assert report(client, cast, cast.reader, other).status_code == 201
    client.get(COMMENTS_URL)
    client.get(COMMENTS_URL)  # the second read is answered by the fast path
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    route = "/api/v1/sites/{site_id}/stories/{story_id}/comments"

    def grew(name: str, **labels: str) -> float:
        return _value(text, name, **labels) - _value(before, name, **labels)

    assert grew("belowline_http_requests_total", method="POST", route=route, status="201") == 2
    assert grew("belowline_http_requests_total", method="GET", route=route, status="200") == 2
    assert grew("belowline_http_request_duration_seconds_count", method="POST", route=route) == 2
    assert grew("belowline_comments_posted_total", site="gazette", status="published") == 2
    assert grew("belowline_reports_total", site="gazette") == 2
    assert grew("belowline_decisions_total", site="gazette", action="approve") == 1
    assert _value(text, "belowline_queue_depth", site="gazette", queue="reported") == 1
    assert _value(text, "belowline_queue_depth", site="gazette", queue="held") == 0
    assert "belowline_queue_oldest_seconds" in text
    assert "belowline_sla_breaches" in text
    assert "belowline_sse_connections" in text
    assert "belowline_webhook_deliveries_total" in text
    # Raw paths never become labels (ids would make the series unbounded).
    assert f"/comments/{comment_id}/" not in text


def test_metrics_need_loopback_or_the_token(
    settings: Settings, clock: FrozenClock, engine: Engine
) -> None:
    app: FastAPI = create_app(
        Settings(**{**settings.model_dump(), "metrics_token": "scrape-me"}),
        clock=clock,
        engine=engine,
    )
    with TestClient(app, client=("203.0.113.9", 5555)) as remote:
        r = remote.get("/metrics")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert remote.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        ok = remote.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert ok.status_code == 200 and "belowline_http_requests_total" in ok.text
    with TestClient(app, client=("127.0.0.1", 5555)) as local:
        assert local.get("/metrics").status_code == 200
        # Through a proxy every client looks local: then only the token opens it.
        proxied = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status_code == 403
