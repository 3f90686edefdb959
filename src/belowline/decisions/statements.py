"""Statements of reasons: what was decided, on what, under which rule, by whom, when, and how
to contest it — sent to the affected user's inbox in the decision's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.mail.readers import email_notice
from belowline.mail.service import MailCategory
from belowline.notifications import service as notifications_service
from belowline.notifications.models import Notification, NotificationKind
from belowline.sanctions.models import Sanction, SanctionKind
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
    SanctionKind.BAN: "Your account is banned from commenting.",
    SanctionKind.PREMODERATE: "Your new comments will be checked by a moderator before they appear",
}


def when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y at %H:%M UTC")


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def _who(automated: bool) -> str:
    return "our automated system" if automated else "a moderator"


def for_decision(
    session: Session, *, decision: Decision, comment: Comment, story: Story
) -> Notification:
    """Tell a comment's author what was decided about it and why."""
    action = decision.action
    original = excerpt(comment.body_md)
    verb = _DECISION_VERBS.get(action, "reviewed")
    lines = [
        f"On {when(decision.created_at)}, {_who(decision.automated)} {verb} your comment "
        f"on “{story.title or story.external_id}”: “{original}”.",
        f"Rule: {decision.rule_title}." if decision.rule_key else "No rule was broken.",
        "This decision was automated."
        if decision.automated
        else "This decision was made by a person, not automatically.",
    ]
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


def for_sanction(session: Session, *, sanction: Sanction) -> Notification:
    """Tell a user about a sanction on their account and why."""
    kind = SanctionKind(sanction.kind)
    headline = _SANCTION_TEXT[kind]
    if kind in (SanctionKind.SUSPEND, SanctionKind.PREMODERATE):
        headline += f" until {when(sanction.until)}." if sanction.until else "."
    lines = [
        headline,
        f"Decided on {when(sanction.created_at)} by {_who(sanction.automated)}.",
        f"Rule: {sanction.rule_title}.",
    ]
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
