"""The error envelope speaks the caller's Accept-Language; the machine code never changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.stories.models import Site
from tests.factories import TEST_SECRET, auth, make_user, make_world

URL = "/api/v1/sites/gazette/stories/story-1/comments"


def _too_long(client: TestClient, session: Session, clock: FrozenClock, **headers: str):  # type: ignore[no-untyped-def]
    world = make_world(session, clock())
    reader = make_user(session, world.site, clock(), name="Rémi")
    site = session.get(Site, "gazette")
    assert site is not None
    site.max_comment_length = 20
    session.commit()
    return client.post(
        URL,
        json={"body": "x" * 33},
        headers={**auth(reader, clock(), TEST_SECRET), **headers},
    )


def test_a_french_reader_is_told_in_french_with_the_figures(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    r = _too_long(client, session, clock, **{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["message"] == ("Un commentaire fait au plus 20 caractères ; celui-ci en a 33.")
    assert r.headers["content-language"] == "fr"
    assert "accept-language" in r.headers["vary"].lower()


def test_without_accept_language_the_message_is_the_english_one(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    r = _too_long(client, session, clock)
    error = r.json()["error"]
    assert (error["code"], error["message"]) == (
        "invalid_body",
        "Comments can be at most 20 characters; this one has 33.",
    )
    assert error["max_length"] == 20  # the envelope's other fields are untouched
    assert r.headers["content-language"] == "en"


def test_a_german_reader_gets_german_for_a_missing_site(client: TestClient) -> None:
    r = client.get("/api/v1/sites/nowhere/stories/s/comments", headers={"Accept-Language": "de"})
    assert r.status_code == 404
    english = client.get("/api/v1/sites/nowhere/stories/s/comments").json()["error"]
    error = r.json()["error"]
    assert error["code"] == english["code"]
    assert error["message"] != english["message"]
    assert "Website" in error["message"] or "gibt es" in error["message"]


def test_the_first_language_with_a_catalog_wins(client: TestClient) -> None:
    # Arabic has no errors catalog yet: French, the reader's second choice, is used.
    r = client.get("/api/v1/nothing-here", headers={"Accept-Language": "ar, fr;q=0.8"})
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "not_found", "message": "Rien ici : vérifiez l’adresse."}


def test_the_guards_before_the_routes_speak_french_too(client: TestClient) -> None:
    r = client.post(
        URL,
        content=b"body=hello",
        headers={"Content-Type": "text/plain", "Accept-Language": "fr"},
    )
    assert r.status_code == 415
    assert r.json()["error"] == {
        "code": "unsupported_media_type",
        "message": "Envoyez le corps de la requête en JSON (Content-Type: application/json).",
    }


def test_a_validation_error_names_its_field_in_french(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    reader = make_user(session, world.site, clock(), name="Rémi")
    r = client.post(
        URL,
        json={"body": 5},
        headers={**auth(reader, clock(), TEST_SECRET), "Accept-Language": "fr"},
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Vérifiez le champ « body »")
    assert error["fields"][0]["field"] == "body"


# The same refusal in each language that has a complete errors catalog, figures kept.
TOO_LONG = {
    "es": "Un comentario tiene como máximo 20 caracteres; este tiene 33.",
    "cy": "Gall sylw fod yn 20 o nodau ar y mwyaf; mae gan hwn 33.",
    "gd": "Faodaidh beachd a bhith suas ri 20 caractar a dh’fhaid; tha 33 aig an fhear seo.",
}


@pytest.mark.parametrize(
    ("header", "locale"), [("es-ES,es;q=0.9", "es"), ("cy-GB", "cy"), ("gd", "gd")]
)
def test_spanish_welsh_and_gaelic_readers_are_told_in_their_language(
    client: TestClient, session: Session, clock: FrozenClock, header: str, locale: str
) -> None:
    r = _too_long(client, session, clock, **{"Accept-Language": header})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["message"] == TOO_LONG[locale]
    assert error["max_length"] == 20
    assert r.headers["content-language"] == locale


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("es", "No hay ningún sitio con ese identificador."),
        ("cy", "Does dim gwefan gyda’r id hwnnw."),
        ("gd", "Chan eil làrach leis an aithnichear sin ann."),
    ],
)
def test_a_missing_site_in_spanish_welsh_and_gaelic(
    client: TestClient, locale: str, message: str
) -> None:
    r = client.get("/api/v1/sites/nowhere/stories/s/comments", headers={"Accept-Language": locale})
    english = client.get("/api/v1/sites/nowhere/stories/s/comments").json()["error"]
    assert r.status_code == 404
    assert r.json()["error"] == {"code": english["code"], "message": message}
    assert message != english["message"]


def test_a_welsh_reader_signed_out_is_asked_to_sign_in_in_welsh(client: TestClient) -> None:
    r = client.post(URL, json={"body": "Helo"}, headers={"Accept-Language": "cy, en;q=0.5"})
    assert r.status_code == 401
    assert r.json()["error"] == {
        "code": "not_authenticated",
        "message": "Mewngofnodwch i wneud hynny.",
    }
