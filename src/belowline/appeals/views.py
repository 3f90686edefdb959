"""How appeals look: to the person who filed one, and to the moderators who decide it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from belowline.appeals.models import Appeal
from belowline.comments import service as comments_service
from belowline.comments.staff_views import names, original_text, staff_comment, story_view
from belowline.comments.views import iso
from belowline.decisions.models import Decision
from belowline.decisions.views import decision_view
from belowline.sanctions.models import Sanction
from belowline.sanctions.views import sanction_view


def own_view(appeal: Appeal) -> dict[str, Any]:
    """An appeal as its appellant sees it."""
    return {
        "id": appeal.id,
        "decision_id": appeal.decision_id,
        "sanction_id": appeal.sanction_id,
        "comment_id": appeal.comment_id,
        "statement": appeal.statement,
        "status": appeal.status,
        "created_at": iso(appeal.created_at),
        "resolved_at": iso(appeal.resolved_at),
        "note": appeal.resolution_note,
    }


def staff_view(session: Session, appeal: Appeal) -> dict[str, Any]:
    """An appeal as moderators see it: the decision, who took it, the comment then and now."""
    people = names(session, {appeal.appellant_id, appeal.resolver_id or 0})
    out: dict[str, Any] = {
        **own_view(appeal),
        "appellant": {
            "id": appeal.appellant_id,
            "display_name": people.get(appeal.appellant_id, "Reader"),
        },
        "resolver": {"id": appeal.resolver_id, "display_name": people.get(appeal.resolver_id)}
        if appeal.resolver_id
        else None,
        "decision": None,
        "sanction": None,
        "comment": None,
        "story": None,
        "decided_by_id": decided_by(session, appeal),
    }
    if appeal.decision_id is not None:
        decision = session.get(Decision, appeal.decision_id)
        if decision is not None:
            who = names(session, {decision.actor_id} if decision.actor_id else set())
            out["decision"] = decision_view(decision, who.get(decision.actor_id or 0))
    if appeal.sanction_id is not None:
        sanction = session.get(Sanction, appeal.sanction_id)
        if sanction is not None:
            who = names(session, {sanction.actor_id} if sanction.actor_id else set())
            out["sanction"] = {
                **sanction_view(sanction),
                "actor_name": who.get(sanction.actor_id or 0),
            }
    if appeal.comment_id is not None:
        comment, story = comments_service.get_comment(session, comment_id=appeal.comment_id)
        out["comment"] = {
            **staff_comment(session, comment, story),
            "original": original_text(session, comment),
        }
        out["story"] = story_view(story)
    return out


def decided_by(session: Session, appeal: Appeal) -> int | None:
    if appeal.decision_id is not None:
        decision = session.get(Decision, appeal.decision_id)
        return decision.actor_id if decision else None
    sanction = session.get(Sanction, appeal.sanction_id)
    return sanction.actor_id if sanction else None
