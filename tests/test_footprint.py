"""A worker's import footprint: what posting and reading never use is not loaded at start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fresh_process import loaded_after


def test_a_new_worker_loads_no_http_client_password_hasher_numpy_or_pyjwt() -> None:
    # PyJWT brings `cryptography` (9 MB): only publishers' public-key sign-in needs it.
    unused = {"httpx", "argon2", "numpy", "joblib", "sklearn", "jwt", "cryptography"}
    assert set(loaded_after("create_app")) & unused == set()


CLI_ONLY = ("typer", "rich", "belowline.cli", "belowline.importers.cli", "belowline.qa.cli")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _imported(log: str) -> list[str]:
    """Module names in a ``-X importtime`` log (every process writes its own lines)."""
    return [line.rsplit("|", 1)[1].strip() for line in log.splitlines() if "import time:" in line]


def _children(pid: int) -> set[int]:
    """Live children of ``pid`` (from /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def _wait(what: str, ready: Callable[[], object], deadline: float) -> None:
    while not ready():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


@pytest.mark.slow  # a real `belowline serve --workers 2`, started through the console script
def test_serve_forks_workers_that_never_import_again_and_replaces_one_that_dies(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).with_name("belowline")
    env = {
        **os.environ,
        "BELOWLINE_DATABASE_URL": f"sqlite:///{tmp_path}/served.db",
        "BELOWLINE_DATA_DIR": str(tmp_path),
        "BELOWLINE_SECRET_KEY": "footprint-test-secret-key-" * 2,
        "BELOWLINE_REDIS_URL": "",
    }
    subprocess.run([script, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = tmp_path / "imports.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [script, "serve", "--port", str(port), "--workers", "2"],
            env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
            stderr=err,
        )
        try:
            deadline = time.monotonic() + 240
            _wait("the server did not start", lambda: _answers(port), deadline)
            _wait("two workers", lambda: len(_children(proc.pid)) == 2, deadline)
            first = _children(proc.pid)
            os.kill(min(first), signal.SIGKILL)  # a worker crashes: the supervisor forks another
            _wait("a new worker", lambda: len(_children(proc.pid) - first) == 1, deadline)
            _wait("two workers again", lambda: len(_children(proc.pid)) == 2, deadline)
            assert _answers(port)
            replaced = _children(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            status = proc.wait(timeout=30)
    assert status == 0  # stopped gracefully: every worker drained and exited
    assert all(not Path(f"/proc/{pid}").exists() for pid in replaced)
    names = _imported(log.read_text())
    # Imported once, by the supervisor: three workers were forked from it, none re-imported.
    assert names.count("belowline.__main__") == 1
    assert names.count("fastapi") == 1
    assert names.count("belowline.accounts.api") == 1  # (the app module itself, by name)
    assert [m for m in CLI_ONLY if m in names] == []


def test_serve_help_describes_the_options_the_lean_parser_takes() -> None:
    import typer.main

    from belowline.cli import app
    from belowline.web import launch

    serve = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    typer_options = {p.name: p.default for p in serve.params}
    assert typer_options == {name: default for name, _, default, _ in launch.OPTIONS}
    parsed = launch.parser().parse_args(["--port=9", "--workers", "3"])
    assert (parsed.host, parsed.port, parsed.workers) == ("127.0.0.1", 9, 3)
