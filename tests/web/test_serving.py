"""`belowline serve` cuts off a client that never finishes its request head (slowloris)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from belowline.web.serving import HEADER_TIMEOUT_SECONDS

pytestmark = pytest.mark.slow  # a real `belowline serve` process and a 10 s deadline


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    env = {
        **os.environ,
        "BELOWLINE_DATABASE_URL": f"sqlite:///{tmp_path}/served.db",
        "BELOWLINE_DATA_DIR": str(tmp_path),
        "BELOWLINE_SECRET_KEY": "serving-test-secret-key-" * 2,
        "BELOWLINE_REDIS_URL": "",
    }
    cli = [sys.executable, "-m", "belowline"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _held_for(port: int, *, drip: bytes) -> float:
    """Seconds until the server closes a connection that sends `drip` a byte at a time."""
    limit = HEADER_TIMEOUT_SECONDS * 3
    with socket.create_connection(("127.0.0.1", port), timeout=limit) as conn:
        started = time.monotonic()
        conn.settimeout(0.5)
        for byte in (drip[i : i + 1] for i in range(len(drip))):
            try:
                conn.sendall(byte)
            except OSError:
                return time.monotonic() - started
            try:
                if conn.recv(1024) == b"":
                    return time.monotonic() - started
            except TimeoutError:
                pass
            if time.monotonic() - started > limit:
                break
    return time.monotonic() - started


def test_a_dribbled_header_is_cut_off(served: int) -> None:
    # One byte every half second, never finishing: the head would take minutes.
    drip = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    held = _held_for(served, drip=drip)
    assert held < HEADER_TIMEOUT_SECONDS + 5, held
    # A connection that sends nothing at all is cut off too.
    with socket.create_connection(("127.0.0.1", served)) as idle:
        idle.settimeout(HEADER_TIMEOUT_SECONDS + 5)
        started = time.monotonic()
        assert idle.recv(1024) == b""
        assert time.monotonic() - started >= HEADER_TIMEOUT_SECONDS - 1
    # A whole request is still answered.
    assert httpx.get(f"http://127.0.0.1:{served}/healthz").status_code == 200
