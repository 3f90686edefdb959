"""The dashboard in the staff member's language: Accept-Language, the switcher, the saved choice."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from tests.cast import Cast
from tests.dashboard.test_pages import BASE, csrf_of, sign_in


def _dash(client_factory: Callable[..., TestClient], lang: str | None = None) -> TestClient:
    headers = {"Accept-Language": lang} if lang else {}
    return client_factory(base_url=BASE, follow_redirects=False, headers=headers)


def test_accept_language_picks_french_or_german(
    client_factory: Callable[..., TestClient], cast: Cast
) -> None:
    fr = _dash(client_factory, "fr-CA,fr;q=0.9,en;q=0.5")
    sign_in(fr, cast.mod)
    page = fr.get("/moderate?queue=reported")
    assert page.headers["content-language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in page.text
    for text in ("Files", "Se déconnecter", "Signalés", "Tous les articles", "Rien en attente"):
        assert text in page.text, text
    assert "Sign out" not in page.text
    de = _dash(client_factory, "de-DE")
    sign_in(de, cast.mod)
    page = de.get("/moderate?queue=held")
    assert page.headers["content-language"] == "de"
    assert "Abmelden" in page.text and "Zurückgehalten" in page.text


def test_unsupported_languages_fall_back_to_english(
    client_factory: Callable[..., TestClient], cast: Cast
) -> None:
    # Spanish has reader catalogs but no dashboard one: the dashboard stays whole, in English.
    es = _dash(client_factory, "es-ES,es;q=0.9")
    sign_in(es, cast.mod)
    page = es.get("/moderate")
    assert page.headers["content-language"] == "en"
    assert "Sign out" in page.text


def test_the_switcher_saves_the_choice_over_the_browser(
    client_factory: Callable[..., TestClient], cast: Cast, session: Session
) -> None:
    client = _dash(client_factory, "fr")
    csrf = sign_in(client, cast.mod)
    r = client.post(
        "/moderate/language",
        data={"locale": "de", "next": "/moderate?queue=held", "csrf_token": csrf},
    )
    assert r.status_code == 303 and r.headers["location"] == "/moderate?queue=held"
    session.expire_all()
    assert session.get(User, cast.mod.id).locale == "de"  # type: ignore[union-attr]
    page = client.get("/moderate?queue=held")
    assert page.headers["content-language"] == "de"
    assert re.search(r'<option value="de" lang="de" selected>Deutsch</option>', page.text)
    # Elsewhere: no CSRF token, no change; an unknown language is refused and nothing changes.
    assert client.post("/moderate/language", data={"locale": "fr"}).status_code == 403
    bad = client.post(
        "/moderate/language",
        data={"locale": "xx", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "locale"
    off_site = client.post(
        "/moderate/language",
        data={"locale": "en", "next": "https://evil.example/", "csrf_token": csrf},
    )
    assert off_site.headers["location"] == "/moderate"
    session.expire_all()
    assert session.get(User, cast.mod.id).locale == "en"  # type: ignore[union-attr]


def test_the_sign_in_page_switches_by_link(client_factory: Callable[..., TestClient]) -> None:
    client = _dash(client_factory)
    english = client.get("/moderate/login")
    assert "Moderators’ sign-in" in english.text
    assert 'href="/moderate/login?lang=fr"' in english.text
    french = client.get("/moderate/login?lang=fr")
    assert "Connexion des modérateurs" in french.text and "Mot de passe" in french.text
    assert csrf_of(french.text)
    german = client.get("/moderate/login", headers={"Accept-Language": "de"})
    assert "Anmeldung für die Moderation" in german.text


def test_settings_page_in_french(client_factory: Callable[..., TestClient], cast: Cast) -> None:
    client = _dash(client_factory, "fr")
    sign_in(client, cast.admin)
    page = client.get("/moderate/settings")
    assert page.status_code == 200
    for text in ("Réglages", "Tri automatique", "Enregistrer les réglages", "Temps plein", "Abus"):
        assert text in page.text, text


def test_the_api_keeps_the_same_choice(client: TestClient, cast: Cast) -> None:
    h = cast.h(cast.mod)
    assert client.get("/api/v1/me/dashboard-locale", headers=h).json() == {
        "locale": None,
        "available": ["en", "fr", "de"],
    }
    r = client.put("/api/v1/me/dashboard-locale", json={"locale": "FR"}, headers=h)
    assert r.status_code == 200 and r.json()["locale"] == "fr"
    bad = client.put("/api/v1/me/dashboard-locale", json={"locale": "es"}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    assert client.get("/api/v1/me/dashboard-locale", headers=h).json()["locale"] == "fr"
    back = client.put("/api/v1/me/dashboard-locale", json={"locale": None}, headers=h)
    assert back.json()["locale"] is None
    reader = client.get("/api/v1/me/dashboard-locale", headers=cast.h(cast.reader))
    assert reader.status_code == 403
