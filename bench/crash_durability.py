"""Crash durability: post comments and reports over HTTP from several clients while the real
server is killed with SIGKILL at random moments, restart it each time, then check that every
acknowledged write is there exactly once and nothing is half-written (bench/crash_checks.py).

    python -m bench.crash_durability --backend sqlite --crashes 20
    python -m bench.crash_durability --backend postgres --pg-url postgresql+psycopg://u:p@host/db
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from belowline.stories.story_token import sign_story_token
from bench.crash_checks import Findings, Write, check
from bench.crash_server import MODERATOR_EMAIL, ORIGIN, SITE_ID, SSO_SECRET, Server
from bench.databases import fresh_postgres

STORIES = ("budget", "election", "weather")


@dataclass
class Load:
    """Client threads that post and report while the server comes and goes."""

    server: Server
    tokens: list[tuple[int, str]]  # (user id, bearer token)
    moderator: str | None = None  # a moderator's bearer token: decisions join the load
    seed: int = 0
    writes: list[Write] = field(default_factory=list)
    up: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _acked: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # story: (id, author)
    _reported: set[tuple[int, int]] = field(default_factory=set)
    _decided: set[int] = field(default_factory=set)

    def _record(self, write: Write) -> Write:
        """Keep the write before it is sent: a request cut off stays at status 0."""
        with self._lock:
            self.writes.append(write)
        return write

    def _post(self, client: httpx.Client, rng: random.Random, user_id: int) -> Write:
        story = rng.choice(STORIES)
        body = f"Crash check {uuid.uuid4().hex} from reader {user_id}"
        payload: dict[str, object] = {
            "body": body,
            "accept_terms_version": 1,
            "story_title": story.title(),
            "story_url": f"{ORIGIN}/{story}",
            "story_token": sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id=story),
        }
        with self._lock:
            earlier = list(self._acked.get(story, ()))
        if earlier and rng.random() < 0.3:
            payload["parent_id"] = rng.choice(earlier)[0]
        write = self._record(Write(kind="comment", marker=body, status=0))
        r = client.post(f"/api/v1/sites/{SITE_ID}/stories/{story}/comments", json=payload)
        write.status = r.status_code
        if r.status_code == 201:
            write.id = int(r.json()["id"])
            with self._lock:
                self._acked.setdefault(story, []).append((write.id, user_id))
        return write

    def _report(self, client: httpx.Client, rng: random.Random, user_id: int) -> Write | None:
        with self._lock:
            targets = [
                c for story in self._acked.values() for c in story
                if c[1] != user_id and (c[0], user_id) not in self._reported
            ]  # fmt: skip
            if not targets:
                return None
            comment_id = rng.choice(targets)[0]
            self._reported.add((comment_id, user_id))
        write = self._record(
            Write(
                kind="report", marker=f"{comment_id}:{user_id}", status=0,
                reporter=user_id, comment_id=comment_id,
            )
        )  # fmt: skip
        r = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam"})
        write.status = r.status_code
        if r.status_code == 201:
            write.id = int(r.json()["id"])
        return write

    def _decide(self, client: httpx.Client, rng: random.Random) -> Write | None:
        """A moderator removes or approves a comment no decision of the load has touched."""
        with self._lock:
            targets = [c[0] for story in self._acked.values() for c in story]
            targets = [c for c in targets if c not in self._decided]
            if not targets:
                return None
            comment_id = rng.choice(targets)
            self._decided.add(comment_id)
        action = "remove" if rng.random() < 0.6 else "approve"
        write = self._record(
            Write(kind="decision", marker=f"{comment_id}:{action}", status=0,
                  comment_id=comment_id, action=action)
        )  # fmt: skip
        r = client.post(
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            json={"action": action, "rule_id": "respect"},
        )
        write.status = r.status_code
        if r.status_code == 201:
            write.id = int(r.json()["decision"]["id"])
        return write

    def _moderator_loop(self) -> None:
        rng = random.Random(self.seed * 1000 + 999)
        headers = {"Authorization": f"Bearer {self.moderator}"}
        with httpx.Client(
            base_url=self.server.url, headers=headers, timeout=httpx.Timeout(20.0)
        ) as client:
            while not self.stop.is_set():
                if not self.up.wait(0.2):
                    continue
                try:
                    if self._decide(client, rng) is None:
                        time.sleep(0.05)
                except (httpx.HTTPError, ValueError):
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.0, 0.1))  # a moderator is slower than the readers

    def _client_loop(self, number: int) -> None:
        rng = random.Random(self.seed * 1000 + number)
        user_id, token = self.tokens[number]
        headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN}
        with httpx.Client(
            base_url=self.server.url, headers=headers, timeout=httpx.Timeout(20.0)
        ) as client:
            while not self.stop.is_set():
                if not self.up.wait(0.2):
                    continue
                try:
                    if rng.random() >= 0.25 or self._report(client, rng, user_id) is None:
                        self._post(client, rng, user_id)
                except (httpx.HTTPError, ValueError):
                    # No answer, or one cut short: the write keeps status 0 (outcome unknown).
                    time.sleep(0.05)

    def wait_for_acknowledgement(self, timeout: float = 120.0) -> None:
        """Until one more write is acknowledged (or `timeout` passes)."""
        with self._lock:
            target = sum(1 for w in self.writes if 200 <= w.status < 300) + 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if sum(1 for w in self.writes if 200 <= w.status < 300) >= target:
                    return
            time.sleep(0.02)

    def run(self, body: Callable[[], None]) -> None:
        threads = [
            threading.Thread(target=self._client_loop, args=(i,), daemon=True)
            for i in range(len(self.tokens))
        ]
        if self.moderator:
            threads.append(threading.Thread(target=self._moderator_loop, daemon=True))
        for t in threads:
            t.start()
        try:
            body()
        finally:
            self.stop.set()
            for t in threads:
                t.join(timeout=60)


@dataclass
class Result:
    backend: str
    crashes: int
    findings: Findings
    seconds: float
    restart: float

    def lines(self) -> list[str]:
        f = self.findings
        return [
            f"backend:                 {self.backend}",
            f"crashes (kill -9):       {self.crashes}",
            f"writes acknowledged:     {f.acknowledged} ({f.decisions} of them decisions)",
            f"found exactly once:      {f.found_once}",
            f"refused (4xx), absent:   {f.refused} {dict(f.refused_by_status)}",
            f"unanswered (cut off):    {f.unanswered} ({f.unanswered_written} of them written)",
            f"server errors (5xx):     {f.server_errors}",
            f"invariant problems:      {len(f.problems)}",
            f"seconds:                 {self.seconds:.1f} (a restart: {self.restart:.1f} s)",
        ]


def run(
    database_url: str,
    data_dir: Path,
    *,
    backend: str,
    crashes: int = 20,
    clients: int = 4,
    seed: int = 1,
    min_up: float = 0.0,
    max_up: float = 1.0,
) -> Result:
    """Prepare a fresh database, run the load through `crashes` kills, and check."""
    started = time.monotonic()
    rng = random.Random(seed)
    server = Server(database_url=database_url, data_dir=data_dir)
    server.prepare()
    server.start()
    try:
        server.add_webhook(["comment.created", "report.created"])
        tokens = []
        for i in range(clients):
            token = server.reader_token(f"reader-{i}", f"Reader {i}")
            me = httpx.get(
                server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
            ).json()
            tokens.append((int(me["id"]), token))
        moderator = server.admin_token(MODERATOR_EMAIL)
        load = Load(server=server, tokens=tokens, moderator=moderator, seed=seed)

        def crash_loop() -> None:
            for _ in range(crashes):
                load.up.set()
                load.wait_for_acknowledgement()  # the load flows through this server
                time.sleep(rng.uniform(min_up, max_up))  # then a random moment under load
                server.kill()
                load.up.clear()
                server.start()
            load.up.set()
            time.sleep(max_up)  # a last stretch, then a clean stop

        load.run(crash_loop)
    finally:
        server.stop()
    findings = check(database_url, load.writes)
    return Result(
        backend, crashes, findings, time.monotonic() - started, server.start_seconds / server.starts
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", help="a PostgreSQL server URL (a database is made and dropped)")
    parser.add_argument("--crashes", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the data (and server.log)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="belowline-crash-")
    drop: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if args.backend == "postgres":
            if not args.pg_url:
                parser.error("--backend postgres needs --pg-url")
            url, drop = fresh_postgres(args.pg_url, prefix="belowline_crash")
        else:
            url = f"sqlite:///{tmp}/belowline.db"
        result = run(
            url, Path(tmp) / "data", backend=args.backend, crashes=args.crashes,
            clients=args.clients, seed=args.seed,
        )  # fmt: skip
    finally:
        if args.keep:
            print(f"data and server.log kept in {tmp}")
        else:
            drop()
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(result.lines()))
    for problem in result.findings.problems:
        print("PROBLEM:", problem)
    raise SystemExit(1 if result.findings.problems else 0)


if __name__ == "__main__":
    main()
