"""Spanish, Welsh and Scottish Gaelic readers get their statements of reasons and every email
in their language, delivered through a real SMTP server, dates written the way the language
writes them; no English left in the body or the footer."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n.readers import locale_for
from belowline.mail.digest import run_digest
from belowline.stories.models import Site
from tests.asyncrun import run_async
from tests.cast import Cast, decide, post, report
from tests.mail.smtp import SmtpServer
from tests.mail.test_recipient_language import _inbox, _site_speaks

QA = "/api/v1/sites/gazette/stories/story-1/qa"
ENGLISH = (
    "It came to us",
    "Automated means",
    "What this means",
    "The rule:",
    "You receive these emails",
    "Stop ",
    " at 10:00 UTC",
    "November",
)


@dataclass(frozen=True)
class Expect:
    """What each language must say, taken from its catalog's sentences."""

    removed: str
    opening: str
    one_report: str
    no_automation: str
    rule: str
    contest: str
    footer: str
    stop_decisions: str
    inbox_note: str
    outcome_subject: str
    outcome_body: str
    stop_reports: str
    suspended: str
    suspended_until: str
    lifted: str
    digest_subject: str
    digest_two: str
    expert_subject: str
    question_subject: str
    invitation_subject: str
    invitation_until: str


EXPECT = {
    "es": Expect(
        removed="Un moderador ha retirado tu comentario",
        opening="El 30 de noviembre de 2026 a las 10:00 UTC, un moderador retiró tu comentario "
        "en «",
        one_report="Llegó hasta nosotros porque lo denunció 1 lector.",
        no_automation="Medios automatizados: ninguno",
        rule="(normas de la comunidad, versión 1)",
        contest="«Pedir una revisión»",
        footer="Recibes estos correos por tus preferencias de correo",
        stop_decisions="Dejar de recibir correos sobre las decisiones de los moderadores",
        inbox_note="Este aviso también está en tu buzón",
        outcome_subject="Qué ha pasado con tu denuncia",
        outcome_body="Nuestros moderadores lo revisaron el 30 de noviembre de 2026 y lo retiraron",
        stop_reports="Dejar de recibir correos sobre el resultado de tus denuncias",
        suspended="Tu cuenta está suspendida",
        suspended_until="hasta el 7 de diciembre de 2026 a las 10:00 UTC.",
        lifted="La sanción (suspensión) impuesta el 30 de noviembre de 2026 a las 10:00 UTC se "
        "levantó el ",
        digest_subject="Respuestas nuevas a tus comentarios: 2",
        digest_two="2 nuevas respuestas a tus comentarios:",
        expert_subject="Respondes a las preguntas de los lectores sobre «",
        question_subject="Una pregunta de un lector para ti sobre «",
        invitation_subject="Te invitamos a moderar los comentarios de ",
        invitation_until="(el enlace solo funciona una vez, hasta el ",
    ),
    "cy": Expect(
        removed="Mae cymedrolwr wedi tynnu eich sylw i lawr",
        opening="Ar 30 Tachwedd 2026 am 10:00 UTC, tynnodd cymedrolwr eich sylw ar “",
        one_report="Daeth i’n sylw gan fod 1 darllenydd wedi adrodd amdano.",
        no_automation="Dulliau awtomataidd: dim",
        rule="(rheolau cymunedol, fersiwn 1)",
        contest="“Gofyn am adolygiad”",
        footer="Rydych chi’n cael yr e-byst hyn oherwydd eich gosodiadau e-bost",
        stop_decisions="Peidio â derbyn e-byst am benderfyniadau’r cymedrolwyr",
        inbox_note="Mae’r hysbysiad hwn hefyd yn eich blwch negeseuon",
        outcome_subject="Beth ddigwyddodd i’ch adroddiad",
        outcome_body="Adolygodd ein cymedrolwyr y sylw ar 30 Tachwedd 2026 a’i dynnu i lawr",
        stop_reports="Peidio â derbyn e-byst am ganlyniad eich adroddiadau",
        suspended="Mae eich cyfrif wedi’i atal",
        suspended_until="tan 7 Rhagfyr 2026 am 10:00 UTC.",
        lifted="Cafodd y cyfyngiad (ataliad) a osodwyd ar 30 Tachwedd 2026 am 10:00 UTC ei "
        "godi ar ",
        digest_subject="Atebion i’ch sylwadau: 2 newydd",
        digest_two="2 ateb newydd i’ch sylwadau:",
        expert_subject="Rydych chi’n ateb cwestiynau darllenwyr ar “",
        question_subject="Cwestiwn i chi gan ddarllenydd ar “",
        invitation_subject="Gwahoddiad i gymedroli sylwadau ",
        invitation_until="(mae’r ddolen yn gweithio unwaith, tan ",
    ),
    "gd": Expect(
        removed="Thug modaratair do bheachd air falbh",
        opening="Air 30mh dhen t-Samhain 2026 aig 10:00 UTC, thug modaratair air falbh do bheachd "
        "air “",
        one_report="Thàinig e thugainn oir rinn 1 leughadair gearan mu dheidhinn.",
        no_automation="Dòighean fèin-obrachail: chan eil gin",
        rule="(riaghailtean coimhearsnachd, tionndadh 1)",
        contest="“Iarr ath-sgrùdadh”",
        footer="Tha na puist-d seo a’ tighinn thugad air sgàth nan roghainnean post-d agad",
        stop_decisions="Cuir stad air puist-d mu cho-dhùnaidhean nam modaratairean",
        inbox_note="Tha am brath seo cuideachd sa bhogsa-phuist agad",
        outcome_subject="Dè thachair don ghearan agad",
        outcome_body="Sgrùd na modaratairean againn e air 30mh dhen t-Samhain 2026 agus thug iad "
        "am beachd air falbh",
        stop_reports="Cuir stad air puist-d mu thoradh nan gearanan agad",
        suspended="Tha an cunntas agad à comas",
        suspended_until="gu ruige 7mh dhen Dùbhlachd 2026 aig 10:00 UTC.",
        lifted="Chaidh an cuingeachadh (cur à comas) a chaidh a chur ort air 30mh dhen t-Samhain "
        "2026 aig 10:00 UTC a thogail air ",
        digest_subject="Freagairtean ùra dha na beachdan agad: 2",
        digest_two="2 fhreagairt ùr dha na beachdan agad:",
        expert_subject="Tha thu a’ freagairt ceistean leughadairean air “",
        question_subject="Ceist dhut bho leughadair air “",
        invitation_subject="Cuireadh gus beachdan ",
        invitation_until="(obraichidh an ceangal aon turas, gu ruige ",
    ),
}
LOCALES = sorted(EXPECT)


def _parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def _delivered(app: FastAPI, smtp: SmtpServer, to: str) -> list[EmailMessage]:
    assert int(run_async(app.state.outbox_worker.run_once)) >= 1
    return [got.message for got in smtp.inbox.received if got.rcpt_tos == [to]]


def _no_english(*texts: str) -> None:
    for text in texts:
        for english in ENGLISH:
            assert english not in text, f"English {english!r} in {text!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_removal_its_statement_and_both_emails_are_in_the_sites_language(
    locale: str, client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    want = EXPECT[locale]
    _site_speaks(session, locale)
    cid = post(client, cast, cast.author, "The councillor's figures are invented.")
    assert report(client, cast, cast.reader, cid).status_code == 201
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    note = _inbox(client, cast)
    assert note["title"] == want.removed
    body = note["body"]
    assert body.startswith(want.opening)
    for line in (want.one_report, want.no_automation, want.rule):
        assert line in body
    assert want.contest in note["contest"] and "14" in note["contest"]
    _no_english(body, note["contest"])

    [mail] = _delivered(app, smtp, cast.author.email)
    assert mail["Subject"] == want.removed
    text, html = _parts(mail)
    assert want.opening in text and want.footer in text and want.inbox_note in text
    assert want.stop_decisions in text and want.stop_decisions in html
    assert f'<html lang="{locale}">' in html
    _no_english(text, html)

    [outcome] = [m for m in smtp.inbox.received if m.rcpt_tos == [cast.reader.email]]
    assert outcome.message["Subject"] == want.outcome_subject
    text, html = _parts(outcome.message)
    assert want.outcome_body in text and want.stop_reports in text
    _no_english(text, html)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_suspension_and_its_lifting_are_in_the_readers_language(
    locale: str, client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    want = EXPECT[locale]
    _site_speaks(session, locale)
    r = client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions",
        json={"kind": "suspend", "until": "2026-12-07T10:00:00Z", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    note = _inbox(client, cast)
    assert note["title"] == want.suspended
    assert want.suspended_until in note["body"] and want.rule in note["body"]
    _no_english(note["body"])
    [mail] = _delivered(app, smtp, cast.author.email)
    assert mail["Subject"] == want.suspended
    text, html = _parts(mail)
    assert want.suspended_until in text and want.footer in text
    _no_english(text, html)

    cast.clock.advance(hours=2)
    lift = f"/api/v1/moderation/users/{cast.author.id}/sanctions/{r.json()['id']}/lift"
    assert client.post(lift, headers=cast.h(cast.admin)).status_code == 200
    lifted = _inbox(client, cast)
    assert lifted["body"].startswith(want.lifted)
    _no_english(lifted["title"], lifted["body"])


@pytest.mark.parametrize("locale", LOCALES)
def test_the_digest_qa_and_invitation_emails_arrive_in_the_sites_language(
    locale: str, client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    want = EXPECT[locale]
    _site_speaks(session, locale)
    prefs = {"email_replies": True, "digest": "daily"}
    assert client.put("/api/v1/me/preferences", json=prefs, headers=cast.h(cast.author)).is_success
    parent = post(client, cast, cast.author, "The bridge is worth every penny.")
    post(client, cast, cast.reader, "Not at that price.", parent_id=parent)
    post(client, cast, cast.reader2, "It will last a century.", parent_id=parent)
    assert client.put(QA, json={"mode": "open"}, headers=cast.h(cast.mod)).status_code == 200
    r = client.put(f"{QA}/experts/{cast.reader2.id}", headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    q = post(client, cast, cast.reader, "When will the bridge open?")
    r = client.put(
        f"/api/v1/qa/questions/{q}/assignee",
        json={"expert_id": cast.reader2.id},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text
    r = client.post(
        "/api/v1/sites/gazette/invitations",
        json={"email": "newcomer@example.com", "role": "moderator"},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 201, r.text
    cast.clock.advance(hours=1)
    assert run_digest(session, now=cast.clock()) == 1
    session.commit()

    [digest] = _delivered(app, smtp, cast.author.email)
    assert digest["Subject"] == want.digest_subject
    text, html = _parts(digest)
    assert text.startswith(want.digest_two) and "Not at that price." in text
    _no_english(text, html)
    expert = [m for m in smtp.inbox.received if m.rcpt_tos == [cast.reader2.email]]
    subjects = [m.message["Subject"] for m in expert]
    assert len(subjects) == 2
    assert subjects[0].startswith(want.expert_subject)
    assert subjects[1].startswith(want.question_subject)
    for m in expert:
        _no_english(*_parts(m.message))
    [invited] = [m for m in smtp.inbox.received if m.rcpt_tos == ["newcomer@example.com"]]
    assert invited.message["Subject"].startswith(want.invitation_subject)
    text, html = _parts(invited.message)
    assert want.invitation_until in text and f'<html lang="{locale}">' in html
    _no_english(text, html)


def test_a_welsh_reader_on_a_spanish_site_is_written_to_in_welsh(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    _site_speaks(session, "es")
    author = session.get(User, cast.author.id)
    assert author is not None
    author.locale = "cy-GB"
    session.commit()
    assert locale_for(author, session.get(Site, "gazette")) == "cy"
    cid = post(client, cast, cast.author, "Mae’r ffigurau’n anghywir.")
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    assert _inbox(client, cast)["title"] == EXPECT["cy"].removed
    [mail] = _delivered(app, smtp, cast.author.email)
    assert mail["Subject"] == EXPECT["cy"].removed
    assert EXPECT["cy"].footer in _parts(mail)[0]
