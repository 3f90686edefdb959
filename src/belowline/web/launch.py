"""`belowline serve`: check the schema, then serve the app with uvicorn, importing only that.

``belowline.__main__`` sends ``serve`` here without loading the command line (typer, rich and
every command's imports). With several workers the supervisor imports the app and loads the
models once, then forks the workers (:mod:`belowline.web.forking`) rather than letting uvicorn
spawn each one to import everything again.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import resource
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["OPTIONS", "main", "serve"]

# The options of `belowline serve` (name, type, default, help), shared with the typer command
# in `belowline.cli` so that `--help` there describes what this parser accepts.
OPTIONS: tuple[tuple[str, type, str | int, str], ...] = (
    ("host", str, "127.0.0.1", "Interface to listen on."),
    ("port", int, 8000, "Port to listen on."),
    ("workers", int, 1, "Worker processes."),
)

APP = "belowline.app:create_app"
GRACE_S = 3  # seconds a stopping worker gives its open connections

SCHEMA_NOT_UP_TO_DATE = (
    "The database schema is not up to date. "
    "Run `belowline db upgrade` first, then start the server again."
)


def _raise_open_file_limit() -> None:
    """Each live reader holds a socket; the usual soft limit of 1,024 caps a worker near 1,000."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            return


def serve(*, host: str, port: int, workers: int) -> int:
    """Serve the app if the schema is current; the exit status (2: migrations pending)."""
    import uvicorn

    from belowline import migrate
    from belowline.db import make_engine
    from belowline.settings import Settings
    from belowline.web.forking import Supervisor
    from belowline.web.serving import HeaderDeadlineProtocol

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        if migrate.pending(engine):
            sys.stderr.write(SCHEMA_NOT_UP_TO_DATE + "\n")
            return 2
    finally:
        engine.dispose()
    _raise_open_file_limit()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "factory": True,
        "log_level": "warning",
        "access_log": False,  # never shown at warning level, yet its fields were built per request
        "proxy_headers": True,
        "timeout_graceful_shutdown": GRACE_S,
        "http": HeaderDeadlineProtocol,
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 16 * 1024,
    }
    if workers <= 1:
        uvicorn.run(APP, **options)
        return 0
    config = uvicorn.Config(APP, **options)
    sock = config.bind_socket()
    preload()

    def worker() -> int:
        uvicorn.Server(config).run(sockets=[sock])
        return 0

    return Supervisor(workers=workers, serve=worker, grace_s=GRACE_S + 5).run()


def preload() -> None:
    """Import the app and load the triage models once, before the workers are forked."""
    # By name, as uvicorn imports it: the app sits above this module (web/ knows no routes).
    importlib.import_module(APP.partition(":")[0])
    from belowline.triage.pipeline import warm_up
    from belowline.web import system

    warm_up()
    system.release_free_memory()
    gc.freeze()  # the collector never touches (so never copies) the supervisor's objects


def parser() -> argparse.ArgumentParser:
    """The arguments of `belowline serve` (the typer command shows the same in `--help`)."""
    parse = argparse.ArgumentParser(prog="belowline serve", add_help=False, allow_abbrev=False)
    for name, kind, default, text in OPTIONS:
        parse.add_argument(f"--{name}", type=kind, default=default, help=text)
    return parse


def main(argv: Sequence[str]) -> int:
    """`belowline serve ARGS` without the command line's imports."""
    args = parser().parse_args(list(argv))
    return serve(host=args.host, port=args.port, workers=args.workers)
