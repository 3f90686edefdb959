"""Statements of reasons in the EU DSA Transparency Database's schema, with no personal data.

One statement per restricting decision (remove, hold, amend) in the period; approvals and
restorations restrict nothing and are left out. The PUID is a name-based UUID of the site and
the decision id, so a resubmission is recognisable and no reader id is in it. Free text comes
only from the rule's title and fixed sentences, never from the comment or a moderator's note.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.errors import ErrorCode, Forbidden
from belowline.permissions import can_view_transparency
from belowline.reports.models import Report
from belowline.transparency.service import _bounds

SCHEMA = "DSA Transparency Database statement (StatementStoreRequest), pinned 2026-06"
_VISIBILITY = {
    DecisionAction.REMOVE: "DECISION_VISIBILITY_CONTENT_REMOVED",
    DecisionAction.HOLD: "DECISION_VISIBILITY_CONTENT_DISABLED",
    DecisionAction.AMEND: "DECISION_VISIBILITY_OTHER",
}
# Our proposal (docs/transparency.md): a rule's key words choose the category.
_CATEGORIES = (
    (("spam", "scam", "phish", "advert"), "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"),
    (("privacy", "personal", "doxx"), "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"),
    (("harass", "threat", "bully"), "STATEMENT_CATEGORY_CYBER_VIOLENCE"),
    (
        ("hate", "abuse", "respect", "defam", "insult"),
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ),
)


def category(rule_key: str) -> str:
    key = rule_key.lower()
    for words, value in _CATEGORIES:
        if any(w in key for w in words):
            return value
    return "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"


def _statement(decision: Decision, comment: Comment, reported: bool) -> dict[str, Any]:
    action = DecisionAction(decision.action)
    verb = {"remove": "removed", "hold": "held for review", "amend": "partly redacted"}[action]
    out: dict[str, Any] = {
        "puid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"belowline:{decision.site_id}:{decision.id}")),
        "decision_visibility": [_VISIBILITY[action]],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": (
            f"Community rules v{decision.rules_version}: {decision.rule_title}"
        )[:500],
        "incompatible_content_explanation": (
            f"The comment breached the community rule “{decision.rule_title}” and was {verb}."
        ),
        "content_type": ["CONTENT_TYPE_TEXT"],
        "category": category(decision.rule_key),
        "content_date": comment.created_at.date().isoformat(),
        "application_date": decision.created_at.date().isoformat(),
        "decision_facts": (
            f"A reader's comment below a news article was {verb} "
            + ("after readers reported it." if reported else "on the newsroom's own initiative.")
        ),
        "source_type": "SOURCE_TYPE_OTHER_NOTIFICATION" if reported else "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if decision.automated else "No",
        "automated_decision": (
            "AUTOMATED_DECISION_FULLY" if decision.automated else "AUTOMATED_DECISION_NOT_AUTOMATED"
        ),
        "account_type": "ACCOUNT_TYPE_PRIVATE",
    }
    if action == DecisionAction.AMEND:
        out["decision_visibility_other"] = "Partial redaction of comment text by a moderator"
    return out


def export(
    session: Session, *, actor: User | None, site_id: str, first: date, last: date
) -> dict[str, Any]:
    """The period's statements of reasons, ready for the Transparency Database."""
    if not can_view_transparency(actor, site_id):
        raise Forbidden("Only the site's admins can export these.", code=ErrorCode.FORBIDDEN)
    lo, hi = _bounds(first, last)
    rows = session.execute(
        select(Decision, Comment)
        .join(Comment, Comment.id == Decision.comment_id)
        .where(
            Decision.site_id == site_id,
            Decision.created_at >= lo,
            Decision.created_at < hi,
            Decision.action.in_([a.value for a in _VISIBILITY]),
        )
        .order_by(Decision.id)
    ).all()
    reported = set(
        session.scalars(
            select(Report.comment_id).where(Report.comment_id.in_([c.id for _, c in rows]))
        )
    )
    return {
        "schema": SCHEMA,
        "statements": [_statement(d, c, c.id in reported) for d, c in rows],
    }
