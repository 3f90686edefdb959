"""Notice mailings are written in the site's language (the notifier has no account) and the
poster's copy of a complaint in the poster's: a French site's notice is answered in French."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cast import Cast, post
from tests.mail.test_recipient_language import _site_speaks
from tests.notices.helpers import emails, file
from tests.notices.test_defamation import COMPLAINT

NOTIFIER = "jane.doe@example.org"


def test_a_french_sites_notice_of_complaint_is_mailed_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    cid = post(client, cast, cast.author, "Le conseiller Doe a touché des pots-de-vin.")
    r = file(
        client, cast, cid, reason="defamation", explanation="C’est faux.", uk_complaint=COMPLAINT
    )
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    [receipt] = emails(session, NOTIFIER)
    assert receipt["locale"] == "fr"
    assert receipt["subject"] == f"Nous avons reçu votre notification n° {nid}"
    assert receipt["text"].startswith(
        "Bonjour Cllr Jane Doe,\n\nNous avons reçu votre notification"
    )
    assert "Motif : defamation.\nVotre explication : C’est faux." in receipt["text"]
    assert "hors week-ends et jours fériés" in receipt["text"]

    route = {"route": "contact_poster"}
    r = client.post(f"/api/v1/moderation/notices/{nid}/route", json=route, headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    poster = emails(session, cast.author.email)[-1]
    assert poster["locale"] == "fr"
    assert poster["subject"] == "Une plainte vise votre commentaire : merci de répondre"
    assert poster["text"].startswith("Le plaignant affirme que votre commentaire sur « ")
    assert "La déclaration mise en cause : Cllr Doe took bribes" in poster["text"]
    assert f"en citant la référence {nid}." in poster["text"]
    told = emails(session, NOTIFIER)[-1]
    assert told["subject"] == f"Votre plainte n° {nid}"
    assert "sans votre nom ni votre adresse e-mail." in told["text"]
    assert "pour répondre. Si elle ne le fait pas" in told["text"]

    answer = {
        "choice": "object",
        "full_name": "Arthur Author",
        "postal_address": "1 rue Haute, Paris",
        "consent_disclosure": False,
    }
    r = client.post(f"/api/v1/me/notices/{nid}/reply", json=answer, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    decided = emails(session, NOTIFIER)[-1]
    assert decided["subject"] == f"La décision sur votre notification n° {nid}"
    assert "s’oppose à la suppression de la déclaration" in decided["text"]
    assert "vous pouvez demander à un tribunal" in decided["text"]
    assert "Aucun moyen automatisé n’a été utilisé" in decided["text"]
    assert "organe certifié de règlement extrajudiciaire" in decided["text"]
    for english in ("Dear", "We received", "The decision", "If you disagree"):
        assert english not in receipt["text"] + told["text"] + decided["text"]


def test_a_french_notifier_is_told_the_decision_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    cid = post(client, cast, cast.author, "Voici l’adresse de Jane Doe.")
    nid = file(client, cast, cid).json()["id"]
    body = {"outcome": "action", "action": "remove", "rule_id": "privacy", "reason": "Adresse."}
    r = client.post(
        f"/api/v1/moderation/notices/{nid}/decision", json=body, headers=cast.h(cast.mod)
    )
    assert r.status_code == 200, r.text
    decided = emails(session, NOTIFIER)[-1]
    assert decided["subject"] == f"La décision sur votre notification n° {nid}"
    assert (
        f"Nous avons examiné votre notification n° {nid} et supprimé le commentaire"
        in (decided["text"])
    )
