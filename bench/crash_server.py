"""A real `belowline serve` process for the durability and outage checks: set up, started,
waited for, killed with SIGKILL, started again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import jwt

SITE_ID = "crash"
ORIGIN = "https://crash.example"
SSO_SECRET = "crash-harness-sso-secret-" * 2
ADMIN_EMAIL = "admin@crash.example"
ADMIN_PASSWORD = "crash-harness-admin-password"  # noqa: S105 - a throwaway test account
MODERATOR_EMAIL = "moderator@crash.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One `belowline serve` on a free port, with its environment and a log file."""

    database_url: str
    data_dir: Path
    redis_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    start_seconds: float = 0.0
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BELOWLINE_")}
        env.update(
            {
                "BELOWLINE_DATABASE_URL": self.database_url,
                "BELOWLINE_DATA_DIR": str(self.data_dir),
                "BELOWLINE_SECRET_KEY": "crash-harness-secret-key-" * 2,
                "BELOWLINE_RATE_LIMIT_POSTS": "100000/minute",
                "BELOWLINE_RATE_LIMIT_REPORTS": "100000/minute",
                "BELOWLINE_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
                "BELOWLINE_PERIODIC_JOBS": "false",
                **self.extra_env,
            }
        )
        if self.redis_url:
            env["BELOWLINE_REDIS_URL"] = self.redis_url
        return env

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "belowline", *args],
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
        )
        return out.stdout.strip()

    def prepare(self) -> None:
        """Migrate, create the site and an admin (once, before the first start)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.cli("db", "upgrade")
        self.cli(
            "sites", "create", "--name", "Crash Times", "--origin", ORIGIN,
            "--sso-secret", SSO_SECRET, "--id", SITE_ID,
        )  # fmt: skip
        self.cli(
            "users", "create", "--site", SITE_ID, "--email", ADMIN_EMAIL,
            "--password", ADMIN_PASSWORD, "--role", "admin",
        )  # fmt: skip
        self.cli(
            "users", "create", "--site", SITE_ID, "--email", MODERATOR_EMAIL,
            "--password", ADMIN_PASSWORD, "--role", "moderator",
        )  # fmt: skip

    def start(self, *, timeout: float = 180.0) -> None:
        """Start the server (on the same port after the first time) and wait until it answers."""
        if not self.port:
            self.port = free_port()
        if self._log is None:
            self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "belowline", "serve", "--port", str(self.port)],
            env=self.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.starts += 1
        began = time.monotonic()
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}; see {self.log_path}"
                )
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    self.start_seconds += time.monotonic() - began
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout:.0f} s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flush, as in a power cut of the process."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def reader_token(self, sub: str, name: str) -> str:
        """A reader's access token through the publisher's SSO exchange."""
        now = int(time.time())
        claims = {"sub": sub, "name": name, "subscriber": True, "aud": SITE_ID,
                  "iat": now, "exp": now + 600}  # fmt: skip
        publisher = jwt.encode(claims, SSO_SECRET, algorithm="HS256")
        r = httpx.post(
            self.url + "/api/v1/auth/sso",
            json={"site_id": SITE_ID, "token": publisher},
            timeout=30,
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def admin_token(self, email: str = ADMIN_EMAIL) -> str:
        """The admin's access token (or the moderator's, by `email`), signed in by password."""
        r = httpx.post(
            self.url + "/api/v1/auth/login",
            json={"site_id": SITE_ID, "email": email, "password": ADMIN_PASSWORD},
            timeout=30,
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def add_webhook(self, events: list[str]) -> None:
        """A webhook to a closed local port: each event leaves an outbox row to check."""
        r = httpx.post(
            f"{self.url}/api/v1/sites/{SITE_ID}/webhooks",
            json={"url": f"http://127.0.0.1:{free_port()}/hook", "events": events},
            headers={"Authorization": f"Bearer {self.admin_token()}"},
            timeout=30,
        )
        r.raise_for_status()
