"""Redis goes away under a running server (a redis-server of this test's own, killed): posting,
reading, signing in and live updates on the same worker keep working, the outage is logged
once, and shared state resumes when Redis is back."""

from __future__ import annotations

import itertools
import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from bench.crash_server import ORIGIN, SITE_ID, SSO_SECRET, Server, free_port

from belowline.stories.story_token import sign_story_token

pytestmark = pytest.mark.integration

REDIS_SERVER = shutil.which("redis-server")
# Different texts (repeats of one would be held as spam, and vanish from the thread).
DURING = (
    "The bridge budget looks too small to me.",
    "Has anyone asked the council about the ferry?",
    "My street floods every winter; nothing changes.",
    "Good reporting, thank you for the figures.",
    "I would like to see the tender documents published.",
)


class RedisProcess:
    """A redis-server on a free port, in memory only; killed and started again by the test."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert REDIS_SERVER is not None
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    client.close()
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc = None

    def keys(self, pattern: str) -> list[bytes]:
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        try:
            return list(client.keys(pattern))
        finally:
            client.close()


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    if REDIS_SERVER is None:
        pytest.fail("This test needs redis-server (run scripts/services.sh).")
    process = RedisProcess(tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.kill()


def _listen(
    url: str, out: queue.Queue[dict], ready: threading.Event, stop: threading.Event
) -> None:
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(10, read=60)) as r:
            for line in r.iter_lines():
                if line.startswith(": connected"):
                    ready.set()
                if line.startswith("data: "):
                    out.put(json.loads(line[6:]))
                if stop.is_set():
                    return
    except httpx.HTTPError:
        return


def _created(events: queue.Queue[dict], comment_id: int, timeout: float = 10) -> int:
    """How many comment.created events for `comment_id` arrive (waiting for the first)."""
    seen = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=0.5 if seen else max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            if seen:
                return seen
            continue
        if event.get("type") == "comment.created" and event["comment"]["id"] == comment_id:
            seen += 1
    return seen


def test_redis_outage_degrades_and_recovers(redis_process: RedisProcess, tmp_path: Path) -> None:
    server = Server(
        database_url=f"sqlite:///{tmp_path}/belowline.db",
        data_dir=tmp_path / "data",
        redis_url=redis_process.url,
        extra_env={"BELOWLINE_RATE_LIMIT_LOGIN": "1000/minute"},
    )
    server.prepare()
    server.start()
    stop = threading.Event()
    try:
        # One reader per post: a burst of posts from one author is held as spam, and a held
        # comment is neither shown nor announced.
        readers = itertools.cycle(
            [
                httpx.Client(
                    base_url=server.url,
                    headers={
                        "Authorization": f"Bearer {server.reader_token(f'redis-{n}', f'Rhea {n}')}",
                        "Origin": ORIGIN,
                    },
                    timeout=30,
                )
                for n in range(12)
            ]
        )
        anonymous = httpx.Client(base_url=server.url, timeout=30)
        thread = f"/api/v1/sites/{SITE_ID}/stories/cache/comments"
        story_token = sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id="cache")

        def post(body: str) -> int:
            r = next(readers).post(
                thread, json={"body": body, "accept_terms_version": 1, "story_token": story_token}
            )
            assert r.status_code == 201, r.text
            assert r.json()["status"] == "published", r.text
            return int(r.json()["id"])

        post("First comment on this story, before anything happens.")
        events: queue.Queue[dict] = queue.Queue()
        ready = threading.Event()
        threading.Thread(
            target=_listen, args=(server.url + thread[:-9] + "/events", events, ready, stop),
            daemon=True,
        ).start()  # fmt: skip
        assert ready.wait(30)
        time.sleep(0.5)  # the relay is subscribed
        assert _created(events, post("The mayor spoke for an hour about the harbour.")) == 1
        assert anonymous.get(thread).status_code == 200
        assert redis_process.keys("belowline:page:*"), "the page cache lives in Redis"

        redis_process.kill()
        during = [post(text) for text in DURING]
        # A read may race the last post's version bump: the page must catch up within 10 s.
        deadline = time.monotonic() + 10
        while True:
            page = anonymous.get(thread)
            assert page.status_code == 200
            shown = {c["id"] for c in page.json()["items"]}
            if shown >= set(during) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert shown >= set(during)
        assert page.json()["total"] == 7
        assert anonymous.get(f"/api/v1/sites/{SITE_ID}/counts?story=cache").json() == {"cache": 7}
        wrong = anonymous.post(
            "/api/v1/auth/login",
            json={"site_id": SITE_ID, "email": "nobody@crash.example", "password": "x" * 12},
        )
        assert wrong.status_code == 401, wrong.text  # the sign-in throttle counts in memory
        # This worker's own readers still get live updates.
        assert _created(events, post("Trains were late again this morning on the coast line.")) == 1
        log = server.log_path.read_text()
        assert log.count("Redis unavailable") == 1, log[-3000:]
        assert "Traceback" not in log, log[-3000:]

        redis_process.start()  # empty, on the same port
        deadline = time.monotonic() + 30
        while not redis_process.keys("belowline:page:*"):
            assert time.monotonic() < deadline, "the server did not use Redis again"
            post("Is Redis back?")
            assert anonymous.get(thread).status_code == 200
            time.sleep(0.5)
        assert "Redis is back" in server.log_path.read_text()
        time.sleep(1.5)  # the relay has subscribed again
        while not events.empty():
            events.get()
        assert _created(events, post("The new library opens on Monday, finally.")) == 1
        assert redis_process.keys("LIMITS*"), "rate limits are shared through Redis again"
        anonymous.close()
    finally:
        stop.set()
        server.stop()
