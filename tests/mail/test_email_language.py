"""The reply digest, the Q&A emails and staff invitations are written in the recipient's
language, like statements of reasons: a French site's readers and staff get them in French."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.mail.digest import run_digest
from belowline.outbox.models import OutboxMessage
from tests.cast import Cast, post
from tests.mail.test_recipient_language import _site_speaks

QA = "/api/v1/sites/gazette/stories/story-1/qa"


def _emails(session: Session, to: str) -> list[dict[str, Any]]:
    session.expire_all()
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "email").order_by(OutboxMessage.id)
    )
    return [m.payload for m in rows if m.payload["to"] == to]


def test_a_french_reader_gets_the_reply_digest_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    prefs = {"email_replies": True, "digest": "daily"}
    assert client.put("/api/v1/me/preferences", json=prefs, headers=cast.h(cast.author)).is_success
    parent = post(client, cast, cast.author, "Le pont vaut chaque centime.")
    post(client, cast, cast.reader, "Pas à ce prix.", parent_id=parent)
    post(client, cast, cast.reader2, "Il durera un siècle.", parent_id=parent)
    cast.clock.advance(hours=1)
    assert run_digest(session, now=cast.clock()) == 1
    session.commit()
    [digest] = [m for m in _emails(session, cast.author.email) if m["digest"]]
    assert digest["locale"] == "fr"
    assert digest["subject"] == "Réponses à vos commentaires : 2 nouvelle(s)"
    assert digest["text"].startswith("2 nouvelles réponses à vos commentaires :")
    assert "Pas à ce prix." in digest["text"] and "replies" not in digest["text"]


def test_a_french_expert_is_told_of_the_qa_and_a_question_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    post(client, cast, cast.author, "L’article existe dès le premier commentaire.")
    assert client.put(QA, json={"mode": "open"}, headers=cast.h(cast.mod)).status_code == 200
    r = client.put(f"{QA}/experts/{cast.reader2.id}", headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    q = post(client, cast, cast.reader, "Quand le pont ouvrira-t-il ?")
    r = client.put(
        f"/api/v1/qa/questions/{q}/assignee",
        json={"expert_id": cast.reader2.id},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text
    invited, asked = _emails(session, cast.reader2.email)
    assert invited["locale"] == asked["locale"] == "fr"
    assert invited["subject"].startswith("Vous répondez aux questions des lecteurs sur « ")
    assert " vous a désigné comme expert pour les questions-réponses sur « " in invited["text"]
    assert "Connectez-vous sur cette page pour y répondre." in invited["text"]
    assert "Sign in" not in invited["text"]
    assert asked["subject"].startswith("Une question d’un lecteur pour vous sur « ")
    assert asked["text"].startswith("Un lecteur a demandé :\n\nQuand le pont ouvrira-t-il ?")


def test_a_french_sites_staff_invitation_is_in_french(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "fr")
    r = client.post(
        "/api/v1/sites/gazette/invitations",
        json={"email": "nouvelle@example.com", "role": "moderator"},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 201, r.text
    [mail] = _emails(session, "nouvelle@example.com")
    assert mail["locale"] == "fr"
    assert mail["subject"].startswith("Vous êtes invité à modérer les commentaires de ")
    assert " vous a invité à devenir modérateur des commentaires de " in mail["text"]
    assert "(le lien ne fonctionne qu’une fois, jusqu’au " in mail["text"]
    assert r.json()["link"] in mail["text"] and "invited" not in mail["text"]
