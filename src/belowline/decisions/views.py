"""How a decision looks to moderators and in the API."""

from __future__ import annotations

from typing import Any

from belowline.comments.views import iso
from belowline.decisions.models import Decision


def decision_view(decision: Decision, actor_name: str | None = None) -> dict[str, Any]:
    return {
        "id": decision.id,
        "comment_id": decision.comment_id,
        "action": decision.action,
        "rule": {"id": decision.rule_key, "title": decision.rule_title}
        if decision.rule_key
        else None,
        "rules_version": decision.rules_version,
        "note": decision.note,
        "message_to_author": decision.message_to_author,
        "actor": {"id": decision.actor_id, "display_name": actor_name}
        if decision.actor_id
        else None,
        "automated": decision.automated,
        "before_digest": decision.before_digest,
        "after_digest": decision.after_digest,
        "comment_version": decision.comment_version,
        "created_at": iso(decision.created_at),
    }
