"""The Webhooks dashboard page: admins add and remove hooks and see the delivery log."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.cast import Cast
from tests.dashboard.test_pages import BASE, sign_in

PUBLIC = "https://93.184.215.14/hooks/comments"


def test_admin_adds_sees_and_removes_a_webhook(
    client: TestClient, cast: Cast, client_factory: Callable[..., TestClient]
) -> None:
    browser = client_factory(base_url=BASE, follow_redirects=False)
    csrf = sign_in(browser, cast.admin)
    page = browser.get("/moderate/webhooks")
    assert page.status_code == 200 and "No webhooks yet" in page.text
    r = browser.post(
        "/moderate/webhooks",
        data={"url": "http://127.0.0.1:9/x", "events": ["comment.created"], "csrf_token": csrf},
    )
    assert r.status_code == 422 and "private" in r.text
    assert browser.post(
        "/moderate/webhooks", data={"url": PUBLIC, "events": ["comment.created"]}
    ).status_code in (403, 422)  # no CSRF token: refused
    r = browser.post(
        "/moderate/webhooks",
        data={"url": PUBLIC, "events": ["comment.created", "report.created"], "csrf_token": csrf},
    )
    assert r.status_code == 201 and "data-secret" in r.text and PUBLIC in r.text
    listing = client.get("/api/v1/sites/gazette/webhooks", headers=cast.h(cast.admin)).json()
    [hook] = listing["webhooks"]
    assert hook["events"] == ["comment.created", "report.created"]
    r = browser.post(f"/moderate/webhooks/{hook['id']}/delete", data={"csrf_token": csrf})
    assert r.status_code == 303
    assert "No webhooks yet" in browser.get("/moderate/webhooks").text


def test_moderators_cannot_open_webhooks(
    client: TestClient, cast: Cast, client_factory: Callable[..., TestClient]
) -> None:
    browser = client_factory(base_url=BASE, follow_redirects=False)
    sign_in(browser, cast.mod)
    assert browser.get("/moderate/webhooks").status_code == 403
