"""/docs and /redoc in Chromium: they render from packaged files, ask nothing of any other
host, and the page's CSP blocks nothing they need."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Service

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".opblock-summary-path"), ("/redoc", "h2:has-text('Healthz')")],
)
def test_docs_render_without_a_cdn(
    browser: Any, service: Service, artifacts: Path, path: str, rendered: str
) -> None:
    page = browser.new_page()
    elsewhere: list[str] = []
    refused: list[str] = []

    def note(request: Any) -> None:
        if urlsplit(request.url).netloc not in (urlsplit(service.base).netloc, ""):
            elsewhere.append(request.url)

    page.on("request", note)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(service.base + path)
    # ReDoc lays out ~200 operations before it shows any: give a busy machine time.
    expect(page.locator(rendered).first).to_be_visible(timeout=90_000)
    expect(page.get_by_text("/api/v1/comments", exact=False).first).to_be_attached()
    page.screenshot(path=str(artifacts / f"api-docs{path.replace('/', '-')}.png"))
    page.close()
    # ReDoc's footer logo is on a CDN: the CSP refuses it (the browser never sends it) and the
    # image hides itself. Nothing else is asked of another host, and nothing else refused.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [url for url in elsewhere if url != logo] == []
    assert [m for m in refused if logo not in m] == []
    if logo in elsewhere:
        assert any(logo in m for m in refused)
