"""Dashboard layout in real Chromium: the audit table's header, and a 390 px phone screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.accounts.models import Role, User
from belowline.audit import service as audit
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_moderation_flow import sign_in, staff
from tests.browser.test_moderation_flow import tabs as tabs  # the fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _audit_rows(service: Service, n: int = 30) -> None:
    with service.session() as s:
        admin = s.query(User).filter(User.role == Role.ADMIN).one()
        for i in range(n):
            audit.write(
                s,
                site_id=SITE_ID,
                actor=admin,
                action="note",
                target_type="user",
                target_id=admin.id,
                note=f"entry {i}",
                now=datetime.now(UTC),
            )
        s.commit()


def test_the_newest_audit_row_sits_below_the_header(
    service: Service, tabs: Any, artifacts: Path
) -> None:
    email = staff(service, "Ada Admin", Role.ADMIN)
    _audit_rows(service)
    tab = tabs()
    sign_in(service, tab.page, email)
    tab.page.goto(f"{service.base}/moderate/audit")
    head = tab.page.locator("table.grid thead th").first.bounding_box()
    first = tab.page.locator("table.grid tbody tr").first.bounding_box()
    assert head is not None and first is not None
    assert first["y"] >= head["y"] + head["height"] - 1, (head, first)
    tab.page.screenshot(path=str(artifacts / "dashboard-audit.png"))


@pytest.mark.parametrize("path", ["/moderate", "/moderate/overview", "/moderate/audit"])
def test_the_dashboard_fits_a_390px_phone(
    service: Service, tabs: Any, artifacts: Path, path: str
) -> None:
    email = staff(service, "Ada Admin", Role.ADMIN)
    tab = tabs(PHONE)
    sign_in(service, tab.page, email)
    tab.page.goto(f"{service.base}{path}")
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"
    # Every queue tab and every top-level link can be reached on screen.
    for link in tab.page.locator(".mainnav a, nav.tabs a").all():
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
    name = path.strip("/").replace("/", "-") or "queue"
    tab.page.screenshot(path=str(artifacts / f"dashboard-390-{name}.png"), full_page=True)
