"""Isso 0.14.0 as a benchmark peer: its own venv, config, seeded SQLite DB and gunicorn.

What it does (all under ``bench/.work/isso/``, which git ignores):

1. creates ``bench/.work/isso-venv`` with ``isso==0.14.0`` and ``gunicorn`` from PyPI;
2. writes ``isso.cfg`` (SQLite DB, guard on with Isso's defaults, X-Forwarded-For trusted
   from 127.0.0.1 so each benchmark post can come from its own /24, see below);
3. seeds the DB from :mod:`bench.dataset` with Isso's own schema code (the seeding runs
   inside the Isso venv: ``isso-venv/bin/python isso_setup.py --seed-into DB``);
4. serves it with ``gunicorn --workers 2`` (sync workers, as Isso's docs deploy it) on
   127.0.0.1; ``isso run`` (one process, werkzeug threads) is not used.

Isso's API as used by the scenarios (read from isso/views/comments.py of 0.14.0):

* first page: ``GET /?uri=<path>&limit=20&nested_limit=5`` (20 top-level comments, up
  to 5 replies each, the Isso client's default ``max-comments-nested``; markdown rendered
  per request; ``sort`` defaults to oldest);
* counts: ``POST /count`` with a JSON list of thread URIs (Content-Type application/json);
* posting: ``POST /new?uri=<path>`` with a JSON body; the ``@xhr`` guard answers 403 to a
  form content type, so ``Content-Type: application/json`` is required. Origin/Referer are
  not checked server-side (CORS only shapes response headers) but are sent like a browser
  would. The guard allows 2 posts a minute and 3 top-level posts per thread for each
  anonymised /24 address; the load sends ``X-Forwarded-For: {{ip}}`` with a fresh /24 per
  request, so every post runs the full guard queries and passes, as distinct readers would.

Run alone: ``python bench/peers/isso_setup.py`` prepares and seeds;
``--serve`` also starts gunicorn and waits (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
import venv
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import dataset
from bench.targets import (
    COUNTS_20,
    PAGE_10K,
    PAGE_50,
    POST,
    WORK_DIR,
    RequestSpec,
    ServerProcess,
    TargetKind,
    free_port,
    stop_on_sigterm,
)

ISSO_VERSION = "0.14.0"
VENV_DIR = WORK_DIR / "isso-venv"
ISSO_DIR = WORK_DIR / "isso"
GUNICORN_VERSION = "27.0.1"
VENV_PACKAGES = (f"isso=={ISSO_VERSION}", f"gunicorn=={GUNICORN_VERSION}")

_CONFIG = """\
# Written by bench/peers/isso_setup.py; regenerated on every run.
[general]
dbpath = {dbpath}
host = {site}
max-age = 15m
notify = stdout
reply-notifications = false
gravatar = false
latest-enabled = false

[moderation]
enabled = false

[server]
listen = http://127.0.0.1:{port}/
public-endpoint = http://127.0.0.1:{port}
trusted-proxies = 127.0.0.1

[guard]
enabled = true
ratelimit = 2
direct-reply = 3
reply-to-self = false
require-author = false
require-email = false

[markup]
renderer = mistune

[hash]
algorithm = pbkdf2
"""


def venv_python() -> Path:
    return VENV_DIR / "bin" / "python"


def ensure_venv(*, quiet: bool = True) -> Path:
    """Create the Isso venv if it is missing or holds another Isso version."""
    python = venv_python()
    if python.exists():
        probe = subprocess.run(
            [
                str(python),
                "-c",
                "import importlib.metadata as m; print(m.version('isso'), m.version('gunicorn'))",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.stdout.split() == [ISSO_VERSION, GUNICORN_VERSION]:
            return python
    print(f"[isso] creating {VENV_DIR} with {', '.join(VENV_PACKAGES)}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV_DIR)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, *VENV_PACKAGES], check=True)
    return python


def write_config(port: int, site_port: int) -> Path:
    ISSO_DIR.mkdir(parents=True, exist_ok=True)
    path = ISSO_DIR / "isso.cfg"
    path.write_text(
        _CONFIG.format(
            dbpath=ISSO_DIR / "comments.db", site=f"http://127.0.0.1:{site_port}/", port=port
        )
    )
    return path


def seed_into(db_path: Path, config_path: Path) -> dict[str, int]:
    """Create Isso's schema with Isso's code and bulk-insert the dataset. Isso venv only."""
    from isso import config as isso_config  # type: ignore[import-not-found]
    from isso.db import SQLite3  # type: ignore[import-not-found]
    from isso.utils import Bloomfilter  # type: ignore[import-not-found]

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    conf = isso_config.load(isso_config.default_file(), str(config_path))
    SQLite3(str(db_path), conf)  # schema, triggers, user_version, session key

    counts: dict[str, int] = {}
    voters: dict[str, memoryview] = {}
    con = sqlite3.connect(db_path)
    with con:
        for story in dataset.stories():
            cur = con.execute(
                "INSERT INTO threads (uri, title) VALUES (?, ?)", (story.path, story.title)
            )
            tid = cur.lastrowid
            ids: dict[int, int] = {}
            for c in dataset.comments(story):
                if c.remote_addr not in voters:
                    voters[c.remote_addr] = memoryview(Bloomfilter(iterable=[c.remote_addr]).array)
                cur = con.execute(
                    "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr,"
                    " text, author, email, website, voters, notification)"
                    " VALUES (?, ?, ?, NULL, 1, ?, ?, ?, ?, NULL, ?, 0)",
                    (
                        tid,
                        ids[c.parent] if c.parent is not None else None,
                        c.created,
                        c.remote_addr,
                        c.text,
                        c.author,
                        c.email,
                        voters[c.remote_addr],
                    ),
                )
                ids[c.index] = int(cur.lastrowid or 0)
            counts[story.path] = len(ids)
    con.close()
    return counts


class IssoTarget:
    """Isso 0.14.0 under gunicorn (2 sync workers) on a seeded SQLite DB."""

    kind: TargetKind = "peer"

    def __init__(self, port: int | None = None, workers: int = 2, name: str = "isso") -> None:
        self.name = name
        self.port = port or free_port()
        self.site_port = free_port()  # the "publisher site" origin; nothing listens there
        self.workers = workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: ServerProcess | None = None
        self.config_path = ISSO_DIR / "isso.cfg"

    def prepare(self) -> None:
        python = ensure_venv()
        self.config_path = write_config(self.port, self.site_port)
        started = time.monotonic()
        out = subprocess.run(
            [str(python), __file__, "--seed-into", str(ISSO_DIR / "comments.db")],
            capture_output=True,
            text=True,
            check=True,
        )
        counts = json.loads(out.stdout.strip().splitlines()[-1])
        total = sum(counts.values())
        print(
            f"[isso] seeded {total} comments in {len(counts)} threads "
            f"in {time.monotonic() - started:.1f}s",
            flush=True,
        )

    def start(self) -> None:
        gunicorn = VENV_DIR / "bin" / "gunicorn"
        self.server = ServerProcess(
            self.name,
            [
                str(gunicorn),
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--no-control-socket",
                "isso.run:application",
            ],
            env={"ISSO_SETTINGS": str(self.config_path)},
            cwd=ISSO_DIR,
        )
        self.server.start(f"{self.base}/config", timeout_s=60)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def pids(self) -> list[int]:
        pid = self.server.pid if self.server is not None else None
        return [pid] if pid is not None else []

    def request(self, scenario: str) -> RequestSpec | None:
        stories = {s.key: s for s in dataset.stories()}
        origin = f"http://127.0.0.1:{self.site_port}"
        if scenario in (PAGE_10K, PAGE_50):
            path = stories[dataset.HOT_STORY if scenario == PAGE_10K else dataset.MEDIUM_STORY].path
            return RequestSpec(f"{self.base}/?uri={quote(path, safe='')}&limit=20&nested_limit=5")
        if scenario == COUNTS_20:
            uris = [stories[key].path for key in dataset.SMALL_STORIES]
            return RequestSpec(
                f"{self.base}/count",
                method="POST",
                body=json.dumps(uris),
                headers={"Content-Type": "application/json"},
            )
        if scenario == POST:
            path = stories[dataset.POST_STORY].path
            body = {
                "text": dataset.post_body_text(),
                "author": "Bench Reader {{seq}}",
                "email": "bench{{seq}}@example.com",
                "website": None,
                "parent": None,
                "notification": 0,
            }
            return RequestSpec(
                f"{self.base}/new?uri={quote(path, safe='')}",
                method="POST",
                body=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Origin": origin,
                    "Referer": f"{origin}{path}",
                    "X-Forwarded-For": "{{ip}}",
                },
                expect_status=(201,),
            )
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Prepare (and optionally serve) Isso 0.14.0")
    parser.add_argument("--port", type=int, default=None, help="port on 127.0.0.1")
    parser.add_argument("--serve", action="store_true", help="start gunicorn and wait")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_into is not None:  # running inside the Isso venv
        print(json.dumps(seed_into(args.seed_into, ISSO_DIR / "isso.cfg")))
        return 0
    target = IssoTarget(port=args.port)
    target.prepare()
    if not args.serve:
        print(f"[isso] config {target.config_path}")
        return 0
    stop_on_sigterm()
    target.start()
    print(f"[isso] serving on {target.base} (pid {target.pids()}); Ctrl-C stops", flush=True)
    for scenario in (PAGE_10K, PAGE_50, COUNTS_20, POST):
        spec = target.request(scenario)
        if spec is not None:
            print(f"  {scenario}: {spec.method} {spec.url}")
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
