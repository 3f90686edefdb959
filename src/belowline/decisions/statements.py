"""Statements of reasons (DSA Art. 17(3)), sent to the affected user's inbox in the decision's
transaction: (a) the restriction, its scope and duration; (b) the facts, and whether a report
or a notice led to it; (c) whether automated means detected or decided it; (e) the rule, its
version and text, with a link to the rules page; (f) the redress routes (the notice's
`contest`). Each fact is said once; an amendment shows what was changed. A sent statement is
never rewritten (notifications.models refuses changes to its text).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.mail.readers import email_notice
from belowline.mail.service import MailCategory
from belowline.notifications import service as notifications_service
from belowline.notifications.models import Notification, NotificationKind
from belowline.rules import service as rules_service
from belowline.rules.citations import rule_text, rules_url
from belowline.sanctions.models import Sanction, SanctionKind
from belowline.stories import service as stories_service
from belowline.stories.models import Story

EXCERPT = 140

_DECISION_TITLES: dict[str, str] = {
    DecisionAction.APPROVE: "Your comment was approved and published",
    DecisionAction.AMEND: "A moderator edited your comment",
    DecisionAction.REMOVE: "A moderator removed your comment",
    DecisionAction.RESTORE: "Your comment was restored",
}
_DECISION_VERBS: dict[str, str] = {
    DecisionAction.APPROVE: "approved and published",
    DecisionAction.AMEND: "edited",
    DecisionAction.REMOVE: "removed",
    DecisionAction.RESTORE: "restored",
}
_SANCTION_TEXT = {
    SanctionKind.WARN: "You have received a warning. Acknowledge it before you post again.",
    SanctionKind.SUSPEND: "Your account is suspended from commenting",
    SanctionKind.BAN: "Your account is banned from commenting",
    SanctionKind.PREMODERATE: "Your new comments will be checked by a moderator before they appear",
}
_QUEUE_DETECTION = {
    "flagged": "flagged by our automated system",
    "held": "held by our automated system",
}


@dataclass(frozen=True)
class Facts:
    """How the decided comment came to the moderators, and its text before the decision."""

    before: str = ""
    queues: list[str] = field(default_factory=list)
    reports: int = 0
    notice: bool = False


def when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y at %H:%M UTC")


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def _who(automated: bool) -> str:
    return "our automated system" if automated else "a moderator"


def rule_line(
    session: Session, *, site_id: str, key: str | None, title: str | None, version: int
) -> str:
    """The rule as the statement cites it: title, version, text then in force, and a link."""
    if not key:
        return "No rule was broken."
    text = rule_text(session, site_id=site_id, version=version, key=key)
    quoted = f" It says: “{' '.join(text.split())}”" if text else ""
    return (
        f"The rule: “{title}” (community rules, version {version}).{quoted} "
        f"Read the rules: {rules_url(session, site_id=site_id, rule_key=key)}"
    )


def _restriction(action: str, site_name: str) -> str | None:
    if action == DecisionAction.REMOVE:
        return (
            f"What this means: the comment is no longer shown to anyone, anywhere {site_name}'s "
            "comments appear; a placeholder keeps the replies in place. It stays removed "
            "unless it is restored, for example after a review."
        )
    if action == DecisionAction.AMEND:
        return (
            f"What this means: the edited text replaces yours wherever {site_name}'s comments "
            "appear, marked as edited by a moderator. The edit stays unless it is undone, "
            "for example after a review."
        )
    return None


def _source(facts: Facts) -> str:
    if facts.notice:
        return (
            "It came to us through a notice sent to the newsroom "
            "(EU Digital Services Act, Art. 16)."
        )
    if facts.reports:
        readers = "1 reader" if facts.reports == 1 else f"{facts.reports} readers"
        return f"It came to us because {readers} reported it."
    return "We found it in our own review; nobody reported it."


def _automation(decision: Decision, facts: Facts) -> str:
    if decision.automated:
        return "Automated means: our automated system both detected it and decided."
    detected = next((_QUEUE_DETECTION[q] for q in facts.queues if q in _QUEUE_DETECTION), None)
    if detected:
        return f"Automated means: it was {detected}; a person took this decision."
    return "Automated means: none — a person found it and took this decision."


def changes(before: str, after: str) -> str:
    """What an amendment changed, word by word: the removed and the added passages."""
    a, b = before.split(), after.split()
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace"):
            added.append(" ".join(b[j1:j2]))
    parts = []
    if removed:
        parts.append("removed " + "; ".join(f"“{excerpt(r)}”" for r in removed))
    if added:
        parts.append("added " + "; ".join(f"“{excerpt(x)}”" for x in added))
    return "What was changed: " + (", and ".join(parts) if parts else "the layout only") + "."


def for_decision(
    session: Session,
    *,
    decision: Decision,
    comment: Comment,
    story: Story,
    facts: Facts | None = None,
) -> Notification:
    """Tell a comment's author what was decided about it, why, and how to contest it."""
    facts = facts or Facts(before=comment.body_md)
    action = decision.action
    original = excerpt(facts.before or comment.body_md)
    verb = _DECISION_VERBS.get(action, "reviewed")
    site = stories_service.get_site(session, site_id=decision.site_id)
    lines = [
        f"On {when(decision.created_at)}, {_who(decision.automated)} {verb} your comment "
        f"on “{story.title or story.external_id}”: “{original}”.",
    ]
    if action == DecisionAction.AMEND:
        lines.append(changes(facts.before, comment.body_md))
    restriction = _restriction(action, site.name)
    if restriction:
        lines.append(restriction)
    lines.append(_source(facts))
    lines.append(_automation(decision, facts))
    lines.append(
        rule_line(
            session,
            site_id=decision.site_id,
            key=decision.rule_key,
            title=decision.rule_title,
            version=decision.rules_version,
        )
    )
    if decision.message_to_author:
        lines.append(f"Message from the moderators: {decision.message_to_author}")
    note = notifications_service.notify(
        session,
        user_id=decision.author_id,
        site_id=decision.site_id,
        kind=NotificationKind.DECISION,
        title=_DECISION_TITLES.get(action, "A decision about your comment"),
        body="\n".join(lines),
        now=decision.created_at,
        comment_id=comment.id,
        decision_id=decision.id,
        action=action,
        rule_key=decision.rule_key,
        rule_title=decision.rule_title,
        automated=decision.automated,
        contestable=action not in (DecisionAction.APPROVE, DecisionAction.RESTORE),
    )
    email_notice(session, note=note, category=MailCategory.DECISION, now=decision.created_at)
    return note


def _duration(sanction: Sanction) -> str:
    kind = SanctionKind(sanction.kind)
    if kind == SanctionKind.WARN:
        return ""
    if sanction.until:
        return f" until {when(sanction.until)}."
    return ", with no end date, unless it is lifted (for example after a review)."


def for_sanction(session: Session, *, sanction: Sanction) -> Notification:
    """Tell a user about a sanction on their account: what, how long, why, and how to contest."""
    kind = SanctionKind(sanction.kind)
    site = stories_service.get_site(session, site_id=sanction.site_id)
    headline = _SANCTION_TEXT[kind] + _duration(sanction)
    lines = [
        headline,
        f"It applies to your account on {site.name}, wherever its comments appear.",
        f"Decided on {when(sanction.created_at)} by {_who(sanction.automated)}"
        + (" (automated means decided it)." if sanction.automated else " (a person decided)."),
    ]
    rules = rules_service.current_rules(session, site_id=sanction.site_id)
    lines.append(
        rule_line(
            session,
            site_id=sanction.site_id,
            key=sanction.rule_key,
            title=sanction.rule_title,
            version=rules.version if rules else 1,
        )
    )
    if sanction.message_to_user:
        lines.append(f"Message from the moderators: {sanction.message_to_user}")
    note = notifications_service.notify(
        session,
        user_id=sanction.user_id,
        site_id=sanction.site_id,
        kind=NotificationKind.SANCTION,
        title={
            SanctionKind.WARN: "A warning about your comments",
            SanctionKind.SUSPEND: "Your account is suspended",
            SanctionKind.BAN: "Your account is banned",
            SanctionKind.PREMODERATE: "Your comments will be reviewed before they appear",
        }[kind],
        body="\n".join(lines),
        now=sanction.created_at,
        sanction_id=sanction.id,
        action=kind.value,
        rule_key=sanction.rule_key,
        rule_title=sanction.rule_title,
        automated=sanction.automated,
    )
    email_notice(session, note=note, category=MailCategory.DECISION, now=sanction.created_at)
    return note


def for_lift(session: Session, *, sanction: Sanction, now: datetime) -> Notification:
    """Tell a user that a sanction was lifted."""
    return notifications_service.notify(
        session,
        user_id=sanction.user_id,
        site_id=sanction.site_id,
        kind=NotificationKind.SANCTION_LIFTED,
        title="A restriction on your account was lifted",
        body=f"The {sanction.kind} of {when(sanction.created_at)} was lifted on {when(now)}.",
        now=now,
        sanction_id=sanction.id,
        action="lift",
        rule_key=sanction.rule_key,
        rule_title=sanction.rule_title,
        contestable=False,
    )
