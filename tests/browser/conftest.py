"""Real servers for browser tests: the comment service on one port, a publisher's page on another.

The service is uvicorn running `create_app` against a migrated SQLite file; the publisher page is
a tiny static server on a second port, so the widget runs cross-origin exactly as it would on a
newspaper's site. Chromium is Debian's, headless; it is never downloaded.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
import uvicorn
from sqlalchemy import Engine

from belowline.app import create_app
from belowline.db import make_engine, make_sessionmaker
from belowline.rules import service as rules_service
from belowline.settings import Settings
from belowline.stories import service as stories_service
from belowline.stories.story_token import sign_story_token

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET = "browser-test-secret-key-not-for-production"
SSO_SECRET = "browser-publisher-shared-secret-0123456789"
SITE_ID = "gazette"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class HostPages:
    """The publisher's website: pages registered by path, served on their own origin."""

    origin: str
    pages: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path


@dataclass
class Service:
    base: str
    engine: Engine
    host: HostPages

    def session(self) -> Any:
        return make_sessionmaker(self.engine)()

    def publisher_token(self, sub: str, name: str, **claims: Any) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": sub,
            "name": name,
            "email": f"{sub}@readers.example",
            "subscriber": True,
            "iat": now,
            "exp": now + 600,
            "aud": SITE_ID,
        }
        payload.update(claims)
        return jwt.encode(payload, SSO_SECRET, algorithm="HS256")

    def article(
        self,
        path: str,
        *,
        story: str = "story-1",
        sso_token: str | None = None,
        extra_attrs: str = "",
        title: str = "Council approves the new river bridge",
    ) -> str:
        """A newspaper article page carrying the publisher's snippet."""
        sso = (
            f"<script>window.belowlineSSO = async () => {sso_token!r};</script>"
            if sso_token
            else ""
        )
        story_token = sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id=story)
        html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | The Test Gazette</title>
<style>
  body {{ margin: 0; font-family: Georgia, serif; color: #222; background: #fff; }}
  .masthead {{ border-bottom: 1px solid #ddd; padding: 14px 24px; font: 700 22px Georgia, serif; }}
  main {{ max-width: 680px; margin: 0 auto; padding: 24px 20px 64px; }}
  h1 {{ font-size: 34px; line-height: 1.15; margin: 0 0 12px; }}
  .standfirst {{ font-size: 19px; color: #555; margin: 0 0 24px; }}
  article p {{ font-size: 18px; line-height: 1.6; margin: 0 0 18px; }}
  button {{ background: hotpink; border: 4px dashed lime; }}
  p {{ margin: 3em; }}
</style>
{sso}
</head><body>
<div class="masthead">The Test Gazette</div>
<main>
<article>
<h1>{title}</h1>
<p class="standfirst">Councillors voted eight to three after a long debate on cost and traffic.</p>
<p>The council approved the budget for the river crossing on Tuesday evening, ending a debate
that has run for two years. Work is due to start in the spring.</p>
</article>
<div data-belowline data-site="{SITE_ID}" data-story="{story}"
     data-story-title="{title}" data-story-url="{self.host.origin}{path}"
     data-story-token="{story_token}" {extra_attrs}></div>
</main>
<script type="module" src="{self.base}/embed.js"></script>
</body></html>"""
        return self.host.add(path, html)


def _serve_host(pages: dict[str, str]) -> tuple[ThreadingHTTPServer, int]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            html = pages.get(self.path.split("?")[0])
            body = (html or "Not found").encode()
            self.send_response(200 if html else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server, server.server_address[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    # A busy machine (or the first post loading the triage models) can take a few seconds.
    expect.set_options(timeout=20_000)

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def service(migrated_template: Path | str, tmp_path: Path) -> Iterator[Service]:
    if not isinstance(migrated_template, Path):
        pytest.skip("browser tests run against SQLite")
    db = tmp_path / "belowline.db"
    shutil.copy(migrated_template, db)
    engine = make_engine(f"sqlite:///{db}")

    pages: dict[str, str] = {}
    host_server, host_port = _serve_host(pages)
    host_origin = f"http://127.0.0.1:{host_port}"
    threading.Thread(target=host_server.serve_forever, daemon=True).start()

    now = datetime.now(UTC)
    with make_sessionmaker(engine)() as s:
        stories_service.create_site(
            s,
            name="The Test Gazette",
            origins=[host_origin],
            now=now,
            site_id=SITE_ID,
            sso_secret=SSO_SECRET,
            subscribe_url=f"{host_origin}/subscribe",
            signin_url=f"{host_origin}/signin",
        )
        rules_service.ensure_default_rules(s, site_id=SITE_ID, now=now)
        s.commit()

    settings = Settings(
        environment="test", data_dir=tmp_path, secret_key=SECRET, rate_limit_enabled=False
    )
    app = create_app(settings, engine=engine)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the comment service did not start")
        time.sleep(0.05)

    # Different ports are different origins: the widget works cross-origin, as in production.
    yield Service(
        base=f"http://127.0.0.1:{port}",
        engine=engine,
        host=HostPages(origin=host_origin, pages=pages),
    )

    server.should_exit = True
    thread.join(timeout=10)
    host_server.shutdown()
    host_server.server_close()
    engine.dispose()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
