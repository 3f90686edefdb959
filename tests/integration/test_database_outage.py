"""PostgreSQL goes away under a running server (its connections killed, new ones refused):
requests answer 503 with Retry-After and a coded error, never a 500, and the same server
process recovers by itself once the database is back."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bench.crash_checks import check
from bench.crash_durability import Load
from bench.crash_server import ORIGIN, SITE_ID, SSO_SECRET, Server
from sqlalchemy import create_engine, make_url, text

from belowline.stories.story_token import sign_story_token
from tests.isolation import fresh_postgres

pytestmark = pytest.mark.integration

PG_URL = os.environ.get("BELOWLINE_TEST_PG_URL", "")


@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[Server]:
    if not PG_URL:
        pytest.fail("This test needs BELOWLINE_TEST_PG_URL (run scripts/services.sh).")
    url, drop = fresh_postgres(PG_URL)
    server = Server(database_url=url, data_dir=tmp_path / "data")
    server.prepare()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        drop()


class Outage:
    """This test's own database refuses connections and loses the ones it had; the shared
    PostgreSQL cluster keeps running for everyone else."""

    def __init__(self, database_url: str) -> None:
        self.name = make_url(database_url).database
        self.admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")

    def begin(self) -> int:
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS false'))
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            ).scalar_one()
        return int(killed)

    def end(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS true'))
        self.admin.dispose()


def _post(client: httpx.Client, body: str) -> httpx.Response:
    return client.post(
        f"/api/v1/sites/{SITE_ID}/stories/outage/comments",
        json={
            "body": body,
            "accept_terms_version": 1,
            "story_token": sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id="outage"),
        },
    )


def test_postgres_outage_answers_503_then_recovers_without_a_restart(pg_server: Server) -> None:
    pg_server.add_webhook(["comment.created", "report.created"])  # outbox rows to check
    token = pg_server.reader_token("outage-reader", "Olive")
    reader = httpx.Client(
        base_url=pg_server.url,
        headers={"Authorization": f"Bearer {token}", "Origin": ORIGIN},
        timeout=30,
    )
    anonymous = httpx.Client(base_url=pg_server.url, headers={"Origin": ORIGIN}, timeout=30)
    assert _post(reader, "Before the outage").status_code == 201
    thread = f"/api/v1/sites/{SITE_ID}/stories/outage/comments"
    assert anonymous.get(thread).status_code == 200  # fills the page cache
    pid = pg_server.proc.pid if pg_server.proc else None

    # Two more readers keep posting and reporting through the whole outage.
    tokens = []
    for i in range(2):
        t = pg_server.reader_token(f"load-{i}", f"Load {i}")
        me = httpx.get(pg_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {t}"})
        tokens.append((int(me.json()["id"]), t))
    load = Load(server=pg_server, tokens=tokens, seed=7)
    outage = Outage(pg_server.database_url)
    answers: list[httpx.Response] = []
    recovered_after: list[float] = []

    def during() -> None:
        load.up.set()
        time.sleep(1.0)
        assert outage.begin() >= 1  # the server's pooled connections were cut
        try:
            deadline = time.monotonic() + 4.0
            while time.monotonic() < deadline:
                answers.append(_post(reader, f"During the outage {len(answers)}"))
                answers.append(anonymous.get(thread))
                answers.append(anonymous.get(f"/api/v1/sites/{SITE_ID}/counts?story=outage"))
                answers.append(reader.get("/api/v1/me"))
                answers.append(anonymous.options(thread, headers={
                    "Access-Control-Request-Method": "POST",
                }))  # fmt: skip
                time.sleep(0.1)
        finally:
            outage.end()
        back = time.monotonic()
        deadline = back + 60
        while time.monotonic() < deadline:
            r = _post(reader, "After the outage")
            if r.status_code == 201:
                recovered_after.append(time.monotonic() - back)
                break
            assert r.status_code == 503, r.text
            time.sleep(0.2)
        time.sleep(1.0)  # the load runs on the recovered server for a moment

    load.run(during)
    reader.close()
    anonymous.close()

    assert answers
    statuses = {r.status_code for r in answers}
    assert 500 not in statuses, [r.text for r in answers if r.status_code == 500][:3]
    unavailable = [r for r in answers if r.status_code == 503]
    # The cached thread page and the CORS preflight may still be answered; the rest cannot.
    assert len(unavailable) >= len(answers) // 2, statuses
    for r in unavailable:
        assert int(r.headers["Retry-After"]) > 0
        assert r.json()["error"]["code"] == "database_unavailable", r.text
    assert recovered_after, "the server did not recover within a minute"
    assert pg_server.proc is not None and pg_server.proc.pid == pid  # the same process
    assert pg_server.proc.poll() is None

    # What the load was told was saved is there exactly once; nothing half-written.
    findings = check(pg_server.database_url, load.writes)
    assert not findings.problems, findings.problems
    assert findings.server_errors == 0
    assert findings.acknowledged > 0
    log = pg_server.log_path.read_text()
    assert log.count("database unavailable; answering 503") == 1, log[-3000:]
    assert threading.active_count() < 50
