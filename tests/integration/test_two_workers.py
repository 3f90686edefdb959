"""Two server processes on PostgreSQL + Redis behave as one service."""

from __future__ import annotations

import json
import queue
import threading
import time

import httpx
import jwt
import pytest

from belowline.stories.story_token import sign_story_token
from tests.integration.conftest import Cluster

pytestmark = pytest.mark.integration


def _token(cluster: Cluster, sub: str, name: str) -> str:
    now = int(time.time())
    claims = {
        "sub": sub,
        "name": name,
        "subscriber": True,
        "aud": cluster.site_id,
        "iat": now,
        "exp": now + 300,
    }
    publisher = jwt.encode(claims, cluster.sso_secret, algorithm="HS256")
    r = httpx.post(
        cluster.urls[0] + "/api/v1/auth/sso", json={"site_id": cluster.site_id, "token": publisher}
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def _listen(
    url: str, out: queue.Queue[dict], ready: threading.Event, stop: threading.Event
) -> None:
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(10, read=30)) as r:
            for line in r.iter_lines():
                if line.startswith(": connected"):
                    ready.set()
                if line.startswith("data: "):
                    out.put(json.loads(line[6:]))
                if stop.is_set():
                    return
    except httpx.HTTPError:
        return  # the server went away at the end of the test


def test_comment_posted_on_one_worker_reaches_sse_reader_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.urls
    token = _token(cluster, "w-1", "Wendy")
    headers = {"Authorization": f"Bearer {token}", "Origin": "https://times.example"}
    body = {
        "body": "Seen everywhere?",
        "accept_terms_version": 1,
        "story_title": "Scale",
        "story_url": "https://times.example/scale",
        "story_token": sign_story_token(
            secret=cluster.sso_secret, site_id=cluster.site_id, story_id="scale"
        ),
    }
    first = httpx.post(
        f"{a}/api/v1/sites/cluster/stories/scale/comments", json=body, headers=headers
    )
    assert first.status_code == 201, first.text

    events: queue.Queue[dict] = queue.Queue()
    ready, stop = threading.Event(), threading.Event()
    t = threading.Thread(
        target=_listen,
        args=(f"{b}/api/v1/sites/cluster/stories/scale/events", events, ready, stop),
        daemon=True,
    )
    t.start()
    assert ready.wait(10)
    time.sleep(0.3)  # the relay subscribes to Redis before our publish
    posted_at = time.monotonic()
    r = httpx.post(
        f"{a}/api/v1/sites/cluster/stories/scale/comments",
        json={"body": "Live across workers"},
        headers=headers,
    )
    assert r.status_code == 201
    event = events.get(timeout=5)
    latency = time.monotonic() - posted_at
    stop.set()
    assert event["type"] == "comment.created"
    assert event["comment"]["id"] == r.json()["id"]
    assert latency < 2.0
    # Both workers serve the same thread (shared database and shared page cache).
    page_a = httpx.get(f"{a}/api/v1/sites/cluster/stories/scale/comments").json()
    page_b = httpx.get(f"{b}/api/v1/sites/cluster/stories/scale/comments").json()
    assert page_a == page_b
    assert page_b["total"] == 2


def test_rate_limits_are_shared_through_redis(cluster: Cluster) -> None:
    statuses = []
    for i in range(6):
        url = cluster.urls[i % 2] + "/api/v1/auth/login"
        r = httpx.post(
            url,
            json={
                "site_id": cluster.site_id,
                "email": "x@example.com",
                "password": "wrong-password",
            },
        )
        statuses.append(r.status_code)
    # Five attempts a minute in all: the sixth is refused whichever worker it reaches.
    assert statuses == [401, 401, 401, 401, 401, 429]
