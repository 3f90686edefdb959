"""The record, thread, search, Overview and invitation pages in French and German, end to end."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.cast import Cast, post, report
from tests.dashboard.test_pages import BASE, sign_in

# Words each page shows in English, and what it shows instead in each language.
PAGES = {
    "fr": {
        "overview": (
            ["On duty now", "Queues now", "Abuse model"],
            ["De permanence", "Files en ce moment", "Modèle d’abus"],
        ),
        "record": (
            ["Recent comments", "Add note", ">Impose<"],
            ["Commentaires récents", "Ajouter la note", "Imposer"],
        ),
        "thread": (["Feature<", "comments<"], ["Mettre en avant", "2 commentaires"]),
        "search": (
            ["comments found", "View in thread"],
            ["2 commentaires trouvés.", "Voir dans la discussion"],
        ),
        "invite": (
            ["Your name", "Set password and continue"],
            ["Votre nom", "Définir le mot de passe et continuer"],
        ),
    },
    "de": {
        "overview": (["On duty now", "Queues now"], ["Jetzt im Dienst", "Warteschlangen jetzt"]),
        "record": (["Recent comments", "Add note"], ["Neueste Kommentare", "Notiz speichern"]),
        "thread": (["Feature<"], ["Hervorheben", "2 Kommentare"]),
        "search": (["comments found"], ["2 Kommentare gefunden."]),
        "invite": (["Your name"], ["Ihr Name", "Passwort festlegen und weiter"]),
    },
}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_remaining_pages_speak_the_staff_members_language(
    client_factory: Callable[..., TestClient], client: TestClient, cast: Cast, lang: str
) -> None:
    first = post(client, cast, cast.author, "Turnips are the finest root.")
    post(client, cast, cast.reader, "Turnips? Never.", parent_id=first)
    report(client, cast, cast.reader, first)
    admin = client_factory(base_url=BASE, follow_redirects=False, headers={"Accept-Language": lang})
    csrf = sign_in(admin, cast.admin)
    invited = admin.post(
        "/moderate/people/invite",
        data={"csrf_token": csrf, "email": f"new-{lang}@example.com", "role": "moderator"},
    )
    token = re.search(r'value="http[^"]+/moderate/invite/([^"]+)"', invited.text)
    assert invited.status_code == 201 and token
    invitee = client_factory(base_url=BASE, headers={"Accept-Language": lang})
    urls = {
        "overview": "/moderate/overview",
        "record": f"/moderate/users/{cast.author.id}",
        "thread": "/moderate/stories/story-1/thread",
        "search": "/moderate/search?q=turnips",
        "invite": f"/moderate/invite/{token.group(1)}",
    }
    for name, (english, translated) in PAGES[lang].items():
        page = (invitee if name == "invite" else admin).get(urls[name])
        assert page.status_code == 200, (name, page.text[:300])
        assert page.headers["content-language"] == lang, name
        for text in translated:
            assert text in page.text, (name, text)
        for text in english:
            assert text not in page.text, (name, text)
