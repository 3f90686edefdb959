"""A plain install (no extras) is lean and still serves, scores and learns.

Builds a fresh virtualenv with the project's own declared dependencies (``uv pip install .``
when uv is at hand, which resolves in seconds; ``pip install .`` otherwise), then checks
what got installed and runs the real commands in it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "scipy",
    "scikit-learn",
    "matplotlib",
    "pandas",
    "joblib",
    "torch",
    "numpy",
    "alt-profanity-check",
    "sse-starlette",
    "httpx2",
)

pytestmark = pytest.mark.slow


def _run(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None) -> str:
    out = subprocess.run(
        [str(a) for a in args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return out.stdout


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("lean") / "venv"
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv:
        _run(uv, "venv", "-q", "--python", sys.executable, venv)
        _run(uv, "pip", "install", "-q", "--python", venv / "bin" / "python", ROOT)
    else:
        _run(sys.executable, "-m", "venv", venv)
        _run(venv / "bin" / "pip", "install", "-q", ROOT)
    return venv / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_training_stack_is_installed(lean: Path) -> None:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "names = {d.metadata['Name'].lower() for d in m.distributions()}\n"
        "print(json.dumps(sorted(n for n in sys.argv[1:] if n in names)))\n"
    )
    assert json.loads(_run(lean / "python", "-c", code, *FORBIDDEN)) == []


def test_it_serves_scores_and_learns(lean: Path, tmp_path: Path) -> None:
    env = {**os.environ, "BELOWLINE_DATA_DIR": str(tmp_path)}
    env.pop("BELOWLINE_DATABASE_URL", None)
    _run(lean / "belowline", "db", "upgrade", env=env)
    scored = _run(
        lean / "belowline",
        "triage",
        "score",
        env=env,
        input=json.dumps({"text": "you are a stupid idiot"}) + "\n",
    )
    assert json.loads(scored)["abuse"] > 0.8
    _run(
        lean / "belowline",
        "sites",
        "create",
        "--name",
        "Gazette",
        "--origin",
        "https://gazette.test",
        "--id",
        "gazette",
        env=env,
    )
    trained = _run(lean / "belowline", "triage", "train", "--site", "gazette", env=env)
    assert json.loads(trained.strip().splitlines()[-1])["outcome"].startswith("not enough labels")
    port = _free_port()
    server = subprocess.Popen(
        [str(lean / "belowline"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_training_tools_name_the_extra(lean: Path) -> None:
    for script in ("scripts/train_abuse_model.py", "scripts/convert_models.py"):
        out = subprocess.run(
            [str(lean / "python"), str(ROOT / script)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 2, out.stderr
        assert "pip install 'belowline[train]'" in out.stderr
    assert (
        _run(
            lean / "python",
            "-c",
            "from belowline.dashboard import charts as c; print(c.png_available())",
        ).strip()
        == "False"
    )
