"""The Settings page over real HTTP: admins only, CSRF on save, the whole form judged at once."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.models import Site
from tests.cast import Cast
from tests.dashboard.test_pages import sign_in
from tests.factories import SSO_SECRET


def form_of(html: str) -> dict[str, str | list[str]]:
    """The settings form's fields as a browser would send them unchanged."""
    data: dict[str, str | list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), [])
                assert isinstance(data[name.group(1)], list)
                data[name.group(1)].append(value.group(1) if value else "on")  # type: ignore[union-attr]
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body
    return {
        k: (v[0] if isinstance(v, list) and k != "sso.algorithms" else v) for k, v in data.items()
    }


def test_settings_page_saves_and_refuses(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.admin)
    page = client.get("/moderate/settings")
    assert page.status_code == 200
    assert SSO_SECRET not in page.text
    assert "Shared secret (HS): <span data-secret-state>set</span>" in page.text
    data = form_of(page.text)
    assert data["csrf_token"] == csrf
    data["edit_window_seconds"] = "900"
    data["triage.thresholds.none.abuse.hold"] = "0.65"
    r = client.post("/moderate/settings", data=data)
    assert r.status_code == 303, r.text
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None and site.edit_window_seconds == 900
    thresholds = site.settings["moderation_policy"]["thresholds"]
    assert thresholds["none"]["abuse"]["hold"] == 0.65
    saved = client.get(r.headers["location"])
    assert "Saved:" in saved.text and "edit_window_seconds" in saved.text

    bad = dict(data, **{"sso.jwks": '{"keys": [{"kty": "RSA"}]}', "edit_window_seconds": "60"})
    r = client.post("/moderate/settings", data=bad)
    assert r.status_code == 422
    assert "Nothing was saved" in r.text and "sso.jwks" in r.text
    assert 'name="edit_window_seconds" inputmode="numeric" value="60"' in r.text  # kept typed
    session.expire_all()
    assert session.get(Site, "gazette").edit_window_seconds == 900  # type: ignore[union-attr]

    no_csrf = {k: v for k, v in data.items() if k != "csrf_token"}
    assert client.post("/moderate/settings", data=no_csrf).status_code == 403


def test_settings_page_is_for_admins(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    sign_in(client, cast.mod)
    assert client.get("/moderate/settings").status_code == 403
    assert 'href="/moderate/settings"' not in client.get("/moderate").text


def test_preview_fragment(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    sign_in(client, cast.admin)
    data = form_of(client.get("/moderate/settings").text)
    r = client.post("/moderate/settings/preview", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 200, r.text
    assert "Had these settings applied over the last 7 days" in r.text
    data["triage.thresholds.full.spam.flag"] = "lots"
    r = client.post("/moderate/settings/preview", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "triage.thresholds.full.spam.flag" in r.text
