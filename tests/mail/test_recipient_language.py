"""Statements of reasons and their emails are written in the recipient's language: their
stored locale, else the site's default; English when neither has a catalog."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n import service as i18n_service
from belowline.stories.models import Site
from tests.asyncrun import run_async
from tests.cast import Cast, decide, post, report
from tests.mail.smtp import SmtpServer


def _site_speaks(session: Session, locale: str) -> None:
    site = session.get(Site, "gazette")
    assert site is not None
    i18n_service.set_site_locale(session, site=site, locale=locale)
    session.commit()


def _inbox(client: TestClient, cast: Cast) -> dict[str, str]:
    items = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    first: dict[str, str] = items[0]
    return first


def test_a_french_sites_reader_gets_the_statement_and_its_email_in_french(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    _site_speaks(session, "fr")
    cid = post(client, cast, cast.author, "Le maire se trompe sur le budget du pont")
    report(client, cast, cast.reader, cid)
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    note = _inbox(client, cast)
    assert note["title"] == "Un modérateur a supprimé votre commentaire"
    body = note["body"]
    assert "un modérateur a supprimé votre commentaire sur « " in body
    assert "décembre" in body or "janvier" in body or " à " in body  # the date, in French
    assert "Il nous est parvenu parce que 1 lecteur l’a signalé." in body
    assert "Moyens automatisés : aucun" in body
    assert "(règles de la communauté, version 1)" in body
    for english in ("It came to us", "Automated means", "What this means", "The rule:"):
        assert english not in body
    assert "14 jours" in note["contest"] and "extrajudiciaire" in note["contest"]

    assert int(run_async(app.state.outbox_worker.run_once)) >= 1
    [got] = [m for m in smtp.inbox.received if m.rcpt_tos == [cast.author.email]]
    msg = got.message
    assert msg["Subject"] == "Un modérateur a supprimé votre commentaire"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    text_body, html_body = text.get_content(), html.get_content()
    assert "Vous recevez ces e-mails en raison de vos réglages" in text_body
    assert "Ne plus recevoir les e-mails sur les décisions des modérateurs" in text_body
    assert "Cet avis figure aussi dans votre boîte de réception" in text_body
    assert '<html lang="fr">' in html_body
    assert "You receive these emails" not in text_body + html_body


def test_the_readers_own_locale_wins_over_the_sites(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    _site_speaks(session, "fr")
    author = session.get(User, cast.author.id)
    assert author is not None
    author.locale = "de"
    session.commit()
    cid = post(client, cast, cast.author, "Der Bürgermeister irrt beim Brückenbudget.")
    assert decide(client, cast, cast.mod, cid, action="amend", body="Der Bürgermeister irrt.")
    note = _inbox(client, cast)
    assert note["title"] == "Die Moderation hat Ihren Kommentar bearbeitet"
    assert (
        "Was geändert wurde: entfernt „irrt beim Brückenbudget.“, und hinzugefügt „irrt.“."
        in (note["body"])
    )
    assert int(run_async(app.state.outbox_worker.run_once)) == 1
    [got] = smtp.inbox.received
    assert got.message["Subject"] == "Die Moderation hat Ihren Kommentar bearbeitet"


def test_a_site_without_a_readers_catalog_writes_english(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "ar")  # Arabic: the widget speaks it, statements not yet
    cid = post(client, cast, cast.author, "A comment in any language")
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    assert _inbox(client, cast)["title"] == "A moderator removed your comment"


def test_a_french_reporter_is_told_the_outcome_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    cid = post(client, cast, cast.author, "Un commentaire injurieux")
    report(client, cast, cast.reader, cid)
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    items = client.get("/api/v1/me/notifications", headers=cast.h(cast.reader)).json()["items"]
    note = items[0]
    assert note["title"].startswith("Suite donnée à votre signalement d’un commentaire sur « ")
    assert note["body"].startswith("Vous avez signalé un commentaire sur « ")
    assert "Nos modérateurs l’ont examiné le " in note["body"]
    assert note["body"].endswith("Merci de nous l’avoir signalé.")
