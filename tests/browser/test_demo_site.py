"""The demo newspaper in a real browser: the widget embedded exactly as a publisher would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.demo.test_cli_demo import READY, free_port

pytestmark = pytest.mark.browser
ARTICLE = "/news/riverside-athletic-takeover"


@dataclass
class Demo:
    site: str
    service: str


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port, site_port = free_port(), free_port()
    env = {
        **os.environ,
        "BELOWLINE_DATA_DIR": str(tmp_path / "data"),
        "BELOWLINE_CONFIG": str(tmp_path / "none.toml"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from belowline.cli import main; main()",
            "demo",
            "--port",
            str(port),
            "--site-port",
            str(site_port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if READY in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(90), "the demo did not start"
        yield Demo(site=f"http://127.0.0.1:{site_port}", service=f"http://127.0.0.1:{port}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _sign_in(page: Any, demo: Demo, email: str) -> None:
    page.goto(f"{demo.site}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("demo-pass")
    page.locator("form.form").get_by_role("button").click()
    page.goto(f"{demo.site}{ARTICLE}")


def test_demo_article_reader_journeys(demo: Demo, browser: Any) -> None:
    from playwright.sync_api import expect

    reader_ctx, sam_ctx, lee_ctx = (browser.new_context() for _ in range(3))
    try:
        reader = reader_ctx.new_page()
        reader.goto(f"{demo.site}{ARTICLE}")
        expect(reader.locator(".belowline .bl-comment").first).to_be_visible()
        expect(reader.get_by_text("Commenting is for subscribers")).to_be_visible()
        expect(reader.locator(".belowline textarea")).to_have_count(0)

        lee = lee_ctx.new_page()
        _sign_in(lee, demo, "lee@demo.test")
        expect(lee.get_by_text("Your subscription has ended")).to_be_visible()
        expect(lee.locator(".belowline textarea")).to_have_count(0)

        sam = sam_ctx.new_page()
        _sign_in(sam, demo, "sam@demo.test")
        sam.get_by_label("Join the discussion").fill("Posted from the demo newspaper itself.")
        sam.get_by_label("I accept the community rules").check()
        sam.get_by_role("button", name="Post comment").click()
        expect(
            sam.locator(".belowline").get_by_text("Posted from the demo newspaper itself.")
        ).to_be_visible()
        # The anonymous reader's page shows it without a reload.
        expect(
            reader.locator(".belowline").get_by_text("Posted from the demo newspaper itself.")
        ).to_be_visible()
    finally:
        for ctx in (reader_ctx, sam_ctx, lee_ctx):
            ctx.close()
