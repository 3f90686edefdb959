"""How a sanction looks to moderators and to the sanctioned user."""

from __future__ import annotations

from typing import Any

from belowline.comments.views import iso
from belowline.sanctions.models import Sanction


def sanction_view(sanction: Sanction) -> dict[str, Any]:
    return {
        "id": sanction.id,
        "user_id": sanction.user_id,
        "kind": sanction.kind,
        "until": iso(sanction.until),
        "rule": {"id": sanction.rule_key, "title": sanction.rule_title},
        "note": sanction.note,
        "message": sanction.message_to_user,
        "actor_id": sanction.actor_id,
        "automated": sanction.automated,
        "created_at": iso(sanction.created_at),
        "acknowledged_at": iso(sanction.acknowledged_at),
        "lifted_at": iso(sanction.lifted_at),
        "lifted_by": sanction.lifted_by_id,
        "lift_note": sanction.lift_note,
    }
