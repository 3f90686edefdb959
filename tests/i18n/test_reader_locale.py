"""A signed-in reader chooses their own language: stored, validated, and used for what is written
to them afterwards (statements of reasons); null goes back to the site's default."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n import service as i18n_service
from belowline.i18n.catalogs import SUPPORTED
from belowline.stories.models import Site
from tests.cast import Cast, decide, post

URL = "/api/v1/me/locale"


def _stored(session: Session, user: User) -> str | None:
    session.expire_all()
    fresh = session.get(User, user.id)
    assert fresh is not None
    return fresh.locale


def _first_notice_title(client: TestClient, cast: Cast) -> str:
    items = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    title: str = items[0]["title"]
    return title


def test_a_reader_reads_and_chooses_their_language(
    client: TestClient, cast: Cast, session: Session
) -> None:
    h = cast.h(cast.reader)
    assert client.get(URL, headers=h).json() == {
        "locale": None,
        "site_locale": "en",
        "available": list(SUPPORTED),
    }
    r = client.put(URL, json={"locale": "FR"}, headers=h)
    assert r.status_code == 200
    assert r.json()["locale"] == "fr"
    assert _stored(session, cast.reader) == "fr"
    assert client.get(URL, headers=h).json()["locale"] == "fr"
    assert client.get("/api/v1/me", headers=h).json()["locale"] == "fr"
    # Welsh and Gaelic are widget languages even before every catalog speaks them.
    assert client.put(URL, json={"locale": "gd"}, headers=h).json()["locale"] == "gd"
    back = client.put(URL, json={"locale": None}, headers=h)
    assert back.status_code == 200
    assert back.json()["locale"] is None
    assert _stored(session, cast.reader) is None


def test_an_unsupported_locale_is_refused_and_nothing_changes(
    client: TestClient, cast: Cast, session: Session
) -> None:
    h = cast.h(cast.reader)
    client.put(URL, json={"locale": "de"}, headers=h)
    for bad in ("xx", "fr-CA", "klingon", "e"):
        r = client.put(URL, json={"locale": bad}, headers=h)
        assert r.status_code == 422, bad
        error = r.json()["error"]
        assert error["code"] == "validation_error"
        named = error["field"] if "field" in error else error["fields"][0]["field"]
        assert named == "locale"
    r = client.put(URL, json={"locale": "xx"}, headers={**h, "Accept-Language": "es"})
    assert r.json()["error"]["message"] == "Elige uno de: en, fr, de, es, cy, gd, ar."
    assert client.put(URL, json={"locale": 7}, headers=h).status_code == 422
    assert client.put(URL, json={"language": "fr"}, headers=h).status_code == 422
    assert _stored(session, cast.reader) == "de"


def test_signed_out_callers_are_told_to_sign_in(client: TestClient) -> None:
    assert client.get(URL).status_code == 401
    r = client.put(URL, json={"locale": "fr"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"


def test_the_next_statement_follows_the_readers_choice_then_the_site(
    client: TestClient, cast: Cast, session: Session
) -> None:
    site = session.get(Site, "gazette")
    assert site is not None
    i18n_service.set_site_locale(session, site=site, locale="de")
    session.commit()
    h = cast.h(cast.author)
    assert client.put(URL, json={"locale": "fr"}, headers=h).status_code == 200
    first = post(client, cast, cast.author, "The bridge budget is wrong")
    assert decide(client, cast, cast.mod, first, action="remove").status_code == 201
    assert _first_notice_title(client, cast) == "Un modérateur a supprimé votre commentaire"

    assert client.put(URL, json={"locale": None}, headers=h).json()["site_locale"] == "de"
    second = post(client, cast, cast.author, "The bridge budget is still wrong")
    assert decide(client, cast, cast.mod, second, action="remove").status_code == 201
    titles = [
        n["title"]
        for n in client.get("/api/v1/me/notifications", headers=h).json()["items"]
        if n["title"] != "Un modérateur a supprimé votre commentaire"
    ]
    assert titles and all("Kommentar" in t for t in titles), titles
