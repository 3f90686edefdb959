"""`belowline demo` on a port already taken: one clear line naming the option, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path


def test_a_taken_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "belowline", "demo", "--port", str(port), "--site-port", "0"],
            capture_output=True,
            text=True,
            timeout=60,
            env={"BELOWLINE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
            check=False,
        )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert f"Port {port}" in result.stderr and "--port" in result.stderr
    assert not (tmp_path / "belowline.db").exists()  # refused before touching anything


def test_the_service_root_says_what_it_is(client: object) -> None:
    r = client.get("/")  # type: ignore[attr-defined]
    assert r.status_code == 200 and "Belowline" in r.text
    assert 'href="/moderate"' in r.text and 'href="/docs"' in r.text
