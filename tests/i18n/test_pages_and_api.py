"""The public rules page speaks the reader's language; the site's default locale is a setting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.cast import Cast


def test_rules_page_in_french_by_query(client: TestClient, cast: Cast) -> None:
    r = client.get("/sites/gazette/rules?lang=fr")
    assert r.status_code == 200
    assert '<html lang="fr" dir="ltr">' in r.text
    assert "Règles de la communauté" in r.text
    assert "Votre responsabilité" in r.text
    assert "Aller au contenu" in r.text
    assert r.headers["content-language"] == "fr"
    assert "Accept-Language" in r.headers["vary"]


def test_rules_page_follows_accept_language_and_is_rtl_in_arabic(
    client: TestClient, cast: Cast
) -> None:
    r = client.get("/sites/gazette/rules", headers={"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in r.text
    assert "قواعد المجتمع" in r.text
    r = client.get("/sites/gazette/rules", headers={"Accept-Language": "cy"})
    assert "Rheolau cymunedol" in r.text
    r = client.get("/sites/gazette/rules", headers={"Accept-Language": "ja"})
    assert '<html lang="en" dir="ltr">' in r.text and "Community rules" in r.text


def test_site_default_locale_set_by_admin_and_used(client: TestClient, cast: Cast) -> None:
    assert client.get("/api/v1/sites/gazette/locale").json()["locale"] == "en"
    r = client.put(
        "/api/v1/sites/gazette/locale", json={"locale": "gd"}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"locale": "gd", "available": ["en", "fr", "de", "es", "cy", "gd", "ar"]}
    assert client.get("/api/v1/sites/gazette/public").json()["locale"] == "gd"
    assert "Riaghailtean coimhearsnachd" in client.get("/sites/gazette/rules").text
    # The reader's own language still wins over the site's default.
    page = client.get("/sites/gazette/rules", headers={"Accept-Language": "de"}).text
    assert "Community-Regeln" in page


@pytest.mark.parametrize(
    ("body", "status"),
    [({"locale": "xx"}, 422), ({"locale": ""}, 422), ({}, 422), ({"locale": "fr", "x": 1}, 422)],
)
def test_bad_locale_is_refused_and_nothing_changes(
    client: TestClient,
    cast,
    body: dict[str, object],
    status: int,  # type: ignore[no-untyped-def]
) -> None:
    r = client.put("/api/v1/sites/gazette/locale", json=body, headers=cast.h(cast.admin))
    assert r.status_code == status, r.text
    assert set(r.json()["error"]) >= {"code", "message"}
    assert client.get("/api/v1/sites/gazette/locale").json()["locale"] == "en"


def test_unknown_site_locale_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/sites/nope/locale").status_code == 404
