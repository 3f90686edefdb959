"""The widget loads from content-hashed, compressed, long-cached files in real Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, Service

pytestmark = pytest.mark.browser

HASHED = re.compile(r"/static/embed/.+\.[0-9a-f]{12}\.(js|css|json)$")


def test_widget_loads_from_hashed_files(browser: Any, service: Service) -> None:
    url = service.article("/news/hashed-assets", story="hashed-assets")
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    seen: list[tuple[str, int, dict[str, str]]] = []
    page.on("response", lambda r: seen.append((r.url, r.status, r.headers)))
    page.goto(url)
    expect(page.locator(".belowline .bl-count")).not_to_be_empty()
    expect(page.locator(".belowline textarea, .belowline .bl-gate").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "static-assets-widget.png"))

    static = [(u, s, h) for u, s, h in seen if u.startswith(service.base + "/static/")]
    names = {u.rsplit("/", 1)[1] for u, _, _ in static}
    assert any(n.startswith("widget.") for n in names), names
    assert any(n.startswith("embed.") and n.endswith(".css") for n in names), names
    assert any(n.startswith("en.") and n.endswith(".json") for n in names), names
    for u, status, headers in static:
        assert HASHED.search(u), f"{u} is not a hashed name"
        assert status == 200, u
        assert headers["cache-control"] == "public, max-age=31536000, immutable", u
        if int(headers.get("content-length", "0")) >= 512 or "content-encoding" in headers:
            assert headers.get("content-encoding") in ("br", "gzip"), u
    loader = [h for u, _, h in seen if u == service.base + "/embed.js"]
    assert loader and loader[0]["cache-control"] == "public, max-age=300"
    assert not errors, errors
    context.close()
