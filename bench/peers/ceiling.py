"""The ceiling: a bare ASGI app answering every request with the same 2 KB JSON body.

It does no routing, parsing, database or rendering work, so its requests/s under
``uvicorn --workers 2`` is the most any app served the same way can reach on this machine
with the same load generator. It reads (and drops) a request body so POSTs cost the
server what a real POST's transfer costs.

Run alone: ``python bench/peers/ceiling.py --port 8000`` (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.targets import (
    COUNTS_20,
    PAGE_10K,
    PAGE_50,
    POST,
    RequestSpec,
    ServerProcess,
    TargetKind,
    free_port,
    stop_on_sigterm,
)

BODY_SIZE = 2048
REPO_DIR = Path(__file__).resolve().parents[2]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _body() -> bytes:
    """A comment-page-shaped JSON document of exactly ``BODY_SIZE`` bytes."""
    item = {
        "id": "c_0000000000",
        "author": {"id": "u_00000", "display_name": "A Reader"},
        "html": "<p>A fixed comment body, the same for every request.</p>",
        "created_at": "2025-01-06T00:00:00Z",
        "reply_count": 0,
    }
    doc: dict[str, Any] = {"items": [item, item, item, item, item], "next_cursor": None, "pad": ""}
    size = len(json.dumps(doc, separators=(",", ":")).encode())
    doc["pad"] = "x" * (BODY_SIZE - size)
    body = json.dumps(doc, separators=(",", ":")).encode()
    assert len(body) == BODY_SIZE, len(body)  # noqa: S101 - construction check
    return body


BODY = _body()
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = bool(message.get("more_body"))
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


class CeilingTarget:
    """The bare ASGI app under ``uvicorn --workers 2`` (default loop/http: uvloop, httptools)."""

    kind: TargetKind = "ceiling"

    def __init__(
        self, port: int | None = None, workers: int = 2, name: str = "ceiling", python: str = ""
    ) -> None:
        self.name = name
        self.port = port or free_port()
        self.workers = workers
        self.python = python or sys.executable
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: ServerProcess | None = None

    def prepare(self) -> None:
        """Nothing to install: uvicorn is a Belowline dependency in the main venv."""

    def start(self) -> None:
        self.server = ServerProcess(
            self.name,
            [
                self.python,
                "-m",
                "uvicorn",
                "bench.peers.ceiling:app",
                "--app-dir",
                str(REPO_DIR),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=REPO_DIR,
        )
        self.server.start(f"{self.base}/", timeout_s=30)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def pids(self) -> list[int]:
        pid = self.server.pid if self.server is not None else None
        return [pid] if pid is not None else []

    def request(self, scenario: str) -> RequestSpec | None:
        if scenario in (PAGE_10K, PAGE_50):
            return RequestSpec(f"{self.base}/page")
        if scenario == COUNTS_20:
            return RequestSpec(
                f"{self.base}/counts",
                method="POST",
                body=json.dumps([f"/news/small-{i:02d}" for i in range(20)]),
                headers={"Content-Type": "application/json"},
            )
        if scenario == POST:
            return RequestSpec(
                f"{self.base}/comments",
                method="POST",
                body=json.dumps({"body": "A comment {{seq}}"}),
                headers={"Content-Type": "application/json"},
            )
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the 2 KB JSON ceiling app")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    target = CeilingTarget(port=args.port, workers=args.workers)
    stop_on_sigterm()
    target.start()
    print(f"[ceiling] serving on {target.base} (pid {target.pids()}); Ctrl-C stops", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        target.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
