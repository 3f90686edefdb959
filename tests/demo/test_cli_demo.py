"""`belowline demo` end to end: a real process, two real ports, the printed logins."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from belowline.demo.runner import prepare
from belowline.demo.seed import sso_secret_for
from belowline.settings import Settings

READY = "Press Ctrl+C to stop."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.slow
def test_belowline_demo_serves_both_apps_and_prints_logins(tmp_path: Path) -> None:
    port, site_port = free_port(), free_port()
    env = {
        **os.environ,
        "BELOWLINE_DATA_DIR": str(tmp_path / "data"),
        "BELOWLINE_CONFIG": str(tmp_path / "none.toml"),
        "COLUMNS": "120",
    }
    cmd = [
        sys.executable,
        "-c",
        "from belowline.cli import main; main()",
        "demo",
        "--port",
        str(port),
        "--site-port",
        str(site_port),
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if READY in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(60), "".join(lines)
        output = "".join(lines)
        for login in ("sam@demo.test", "lee@demo.test", "nina@demo.test"):
            assert login in output
        for login in ("mo@demo.test", "ada@demo.test"):
            assert login in output
        assert "demo-pass" in output
        assert f"http://127.0.0.1:{site_port}/" in output
        assert f"http://127.0.0.1:{port}/moderate" in output
        assert f"http://127.0.0.1:{port}/sites/demo-gazette/rules" in output

        front = httpx.get(f"http://127.0.0.1:{site_port}/", timeout=5)
        assert front.status_code == 200
        assert "The Demo Gazette" in front.text
        article = httpx.get(
            f"http://127.0.0.1:{site_port}/news/riverside-athletic-takeover", timeout=5
        )
        assert f'src="http://127.0.0.1:{port}/embed.js"' in article.text
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        counts = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/sites/demo-gazette/counts",
            params={"story": "riverside-athletic-takeover"},
            headers={"Origin": f"http://127.0.0.1:{site_port}"},
            timeout=5,
        )
        assert counts.json()["riverside-athletic-takeover"] > 150
        assert counts.headers["access-control-allow-origin"] == f"http://127.0.0.1:{site_port}"
        with httpx.Client(base_url=f"http://127.0.0.1:{site_port}", timeout=5) as browser:
            browser.post(
                "/signin",
                data={"email": "sam@demo.test", "password": "demo-pass", "next": "/"},
            )
            html = browser.get("/news/riverside-athletic-takeover").text
        token = re.search(r'data-sso-token="([^"]+)"', html)
        assert token is not None
        sso = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/sso",
            json={"site_id": "demo-gazette", "token": token.group(1)},
            timeout=5,
        )
        assert sso.status_code == 200, sso.text
        assert sso.json()["user"]["subscription"] == "active"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    reader.join(timeout=5)
    output = "".join(lines)
    assert code == 0, output
    assert "Traceback" not in output
    assert "Warning" not in output, output
    assert (tmp_path / "data" / "belowline.db").exists()


def test_second_start_does_not_reseed_but_reset_does(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="a-long-enough-demo-secret-key-0123456789")
    console = Console(file=io.StringIO())
    secret, published = prepare(
        settings, host="127.0.0.1", site_port=8001, reset=False, console=console
    )
    assert len(published) >= 5
    assert secret == sso_secret_for(settings.secret_key)
    again, published_again = prepare(
        settings, host="127.0.0.1", site_port=8002, reset=False, console=console
    )
    assert again == secret
    assert published_again == published
    assert "already in place" in console.file.getvalue()  # type: ignore[attr-defined]
    _fresh, published_fresh = prepare(
        settings, host="127.0.0.1", site_port=8001, reset=True, console=console
    )
    assert published_fresh != published  # a new seed, with new timestamps
