"""Automated decisions (the triage pipeline's path) are on the record as automated."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.audit.models import AuditEntry
from belowline.comments.models import Comment
from belowline.decisions import service as decisions
from belowline.queues.models import QueueName
from belowline.queues.service import open_item
from tests.cast import Cast, post


def test_automated_removal_is_recorded_and_explained_as_automated(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Buy cheap watches at spam.example")
    comment = session.get(Comment, cid)
    assert comment is not None
    open_item(session, comment=comment, queue=QueueName.FLAGGED, now=cast.clock(), priority=0.9)
    decision = decisions.decide(
        session,
        actor=None,
        comment_id=cid,
        request=decisions.DecisionRequest(action="remove", rule_id="no-spam"),
        now=cast.clock(),
        automated=True,
    )
    session.commit()
    assert decision.automated is True
    assert decision.actor_id is None
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert entry.actor_role == "system"
    assert entry.automated is True
    [note] = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    assert note["automated"] is True
    assert "automated" in note["body"]
    flagged = client.get("/api/v1/moderation/queues/flagged", headers=cast.h(cast.mod)).json()
    assert flagged["items"] == []
