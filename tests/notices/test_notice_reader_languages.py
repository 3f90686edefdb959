"""A Spanish, Welsh or Gaelic site answers notices in its language: the receipt, the decision,
each step of a notice of complaint to the notifier, and the poster's copy of the complaint."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cast import Cast, post
from tests.mail.test_recipient_language import _site_speaks
from tests.notices.helpers import emails, file
from tests.notices.test_defamation import COMPLAINT

NOTIFIER = "jane.doe@example.org"
ENGLISH = ("Dear", "We received", "The decision", "If you disagree", "We have sent", "Reason:")


@dataclass(frozen=True)
class Expect:
    receipt: str  # "{id}" is the notice's number
    greeting: str
    reason: str
    uk: str
    poster_subject: str
    poster_opening: str
    statement: str
    reference: str
    told: str
    told_without: str
    told_due: str
    decided: str
    objects: str
    no_consent: str
    no_automation: str
    redress: str
    removed: str


EXPECT = {
    "es": Expect(
        receipt="Hemos recibido tu notificación n.º {id}",
        greeting="Hola, Cllr Jane Doe:\n\nEl 30 de noviembre de 2026 a las 10:00 UTC recibimos",
        reason="Motivo: defamation.\nTu explicación: Es completamente falso.",
        uk="sin contar fines de semana ni festivos",
        poster_subject="Una reclamación sobre tu comentario: responde, por favor",
        poster_opening="La persona que reclama afirma que tu comentario en «",
        statement="La declaración objeto de la reclamación: Cllr Doe took bribes",
        reference="indicando la referencia {id}.",
        told="Tu reclamación n.º {id}",
        told_without="sin tu nombre ni tu dirección de correo electrónico.",
        told_due="para responder. Si no lo hace",
        decided="La decisión sobre tu notificación n.º {id}",
        objects="se opone a que se retire la declaración",
        no_consent="puedes pedir a un tribunal que ordene revelarla",
        no_automation="No se emplearon medios automatizados",
        redress="órgano certificado de resolución extrajudicial de litigios",
        removed="Hemos examinado tu notificación n.º {id} y hemos retirado el comentario",
    ),
    "cy": Expect(
        receipt="Rydyn ni wedi derbyn eich hysbysiad rhif {id}",
        greeting="Annwyl Cllr Jane Doe,\n\nDerbyniwyd eich hysbysiad rhif",
        reason="Rheswm: defamation.\nEich esboniad: Es completamente falso.",
        uk="heb gyfrif penwythnosau a gwyliau banc",
        poster_subject="Cwyn am eich sylw: atebwch, os gwelwch yn dda",
        poster_opening="Yn ôl yr achwynydd, mae eich sylw ar “",
        statement="Y datganiad y cwynir amdano: Cllr Doe took bribes",
        reference="neu nodwch y cyfeirnod {id}.",
        told="Eich hysbysiad cwyn rhif {id}",
        told_without="heb eich enw na’ch cyfeiriad e-bost.",
        told_due="i ateb. Os na fyddan nhw’n ateb",
        decided="Y penderfyniad ar eich hysbysiad rhif {id}",
        objects="yn gwrthwynebu tynnu i lawr y datganiad",
        no_consent="gallwch ofyn i lys orchymyn ei datgelu",
        no_automation="Ni ddefnyddiwyd unrhyw ddulliau awtomataidd",
        redress="ardystiedig ar gyfer setlo anghydfodau y tu allan i’r llys",
        removed="Rydyn ni wedi adolygu eich hysbysiad rhif {id} ac wedi tynnu’r sylw i lawr",
    ),
    "gd": Expect(
        receipt="Fhuair sinn am fios agad, àireamh {id}",
        greeting="Halò Cllr Jane Doe,\n\nFhuair sinn am fios agad",
        reason="Adhbhar: defamation.\nAm mìneachadh agad: Es completamente falso.",
        uk="gun deireadh-sheachdainean is saor-làithean banca a chunntadh",
        poster_subject="Gearan mu do bheachd: thoir freagairt, mas e do thoil e",
        poster_opening="Tha an neach-gearain ag ràdh gu bheil do bheachd air “",
        statement="An aithris air a bheilear a’ gearan: Cllr Doe took bribes",
        reference="no cleachd an àireamh-iomraidh {id}.",
        told="An gearan agad, àireamh {id}",
        told_without="gun d’ ainm no do sheòladh puist-d.",
        told_due="airson freagairt. Mura freagair iad",
        decided="An co-dhùnadh mun fhios agad, àireamh {id}",
        objects="an aghaidh toirt air falbh na h-aithris",
        no_consent="faodaidh tu iarraidh air cùirt",
        no_automation="Cha deach dòighean fèin-obrachail a chleachdadh",
        redress="buidheann dearbhte airson connspaidean a rèiteach",
        removed="Sgrùd sinn am fios agad, àireamh {id}, agus thug sinn am beachd air falbh",
    ),
}


@pytest.mark.parametrize("locale", sorted(EXPECT))
def test_a_notice_of_complaint_is_mailed_in_the_sites_language(
    locale: str, client: TestClient, cast: Cast, session: Session
) -> None:
    want = EXPECT[locale]
    _site_speaks(session, locale)
    cid = post(client, cast, cast.author, "Cllr Doe took bribes for the bridge contract.")
    r = file(
        client,
        cast,
        cid,
        reason="defamation",
        explanation="Es completamente falso.",
        uk_complaint=COMPLAINT,
    )
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    [receipt] = emails(session, NOTIFIER)
    assert receipt["locale"] == locale
    assert receipt["subject"] == want.receipt.format(id=nid)
    assert receipt["text"].startswith(want.greeting)
    assert want.reason in receipt["text"] and want.uk in receipt["text"]

    route = {"route": "contact_poster"}
    r = client.post(f"/api/v1/moderation/notices/{nid}/route", json=route, headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    poster = emails(session, cast.author.email)[-1]
    assert poster["locale"] == locale
    assert poster["subject"] == want.poster_subject
    assert poster["text"].startswith(want.poster_opening)
    assert want.statement in poster["text"]
    assert want.reference.format(id=nid) in poster["text"]
    told = emails(session, NOTIFIER)[-1]
    assert told["subject"] == want.told.format(id=nid)
    assert want.told_without in told["text"] and want.told_due in told["text"]

    answer = {
        "choice": "object",
        "full_name": "Arthur Author",
        "postal_address": "1 High Street, Cardiff",
        "consent_disclosure": False,
    }
    r = client.post(f"/api/v1/me/notices/{nid}/reply", json=answer, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    decided = emails(session, NOTIFIER)[-1]
    assert decided["subject"] == want.decided.format(id=nid)
    for line in (want.objects, want.no_consent, want.no_automation, want.redress):
        assert line in decided["text"]
    for english in ENGLISH:
        for mail in (receipt, poster, told, decided):
            assert english not in mail["text"], (english, mail["text"])


@pytest.mark.parametrize("locale", sorted(EXPECT))
def test_the_notifier_is_told_the_decision_in_the_sites_language(
    locale: str, client: TestClient, cast: Cast, session: Session
) -> None:
    want = EXPECT[locale]
    _site_speaks(session, locale)
    cid = post(client, cast, cast.author, "Here is Jane Doe's home address.")
    nid = file(client, cast, cid).json()["id"]
    body = {"outcome": "action", "action": "remove", "rule_id": "privacy", "reason": "Address."}
    r = client.post(
        f"/api/v1/moderation/notices/{nid}/decision", json=body, headers=cast.h(cast.mod)
    )
    assert r.status_code == 200, r.text
    decided = emails(session, NOTIFIER)[-1]
    assert decided["locale"] == locale
    assert decided["subject"] == want.decided.format(id=nid)
    assert want.removed.format(id=nid) in decided["text"]
    assert want.redress in decided["text"]
