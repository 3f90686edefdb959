"""Automated moderation steps on the record: the rule cited, the hold decision with its audit
entry and statement of reasons, the Flagged queue item, and the live event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from belowline import events
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments.models import Comment, CommentStatus
from belowline.decisions.models import Decision, DecisionAction
from belowline.decisions.statements import excerpt, rule_line
from belowline.i18n.readers import text_for
from belowline.notifications import service as notifications_service
from belowline.notifications.models import NotificationKind
from belowline.queues import service as queues
from belowline.queues.models import QueueItem, QueueName
from belowline.rules import service as rules_service
from belowline.rules.citations import CitedRule
from belowline.staffing import sla
from belowline.staffing.schedule import Coverage
from belowline.stories.models import Site, Story


def cite(session: Session, *, site_id: str, preferred: str) -> CitedRule:
    """The rule an automated step cites: the preferred key, else 'respect', else the first."""
    rules = rules_service.require_rules(session, site_id=site_id)
    rule = rules.rule(preferred) or rules.rule("respect") or rules.rules[0]
    return CitedRule(key=rule.key, title=rule.title, version=rules.version)


def duty_phrase(level: Coverage) -> str:
    """Who was on duty when a hold was made, for the author's statement of reasons."""
    if level == Coverage.NONE:
        return "while no moderator is on duty"
    return f"while {level.value}-time moderation is on duty"


def record_hold(
    session: Session,
    *,
    comment: Comment,
    story: Story,
    rule: CitedRule,
    why: str,
    note: str,
    now: datetime,
) -> Decision:
    """Put an automated hold on the record: decision, audit entry, statement of reasons."""
    decision = Decision(
        site_id=comment.site_id,
        comment_id=comment.id,
        author_id=comment.author_id,
        action=DecisionAction.HOLD,
        rule_key=rule.key,
        rule_title=rule.title,
        rules_version=rule.version,
        note=note[:2000],
        message_to_author=None,
        actor_id=None,
        automated=True,
        before_digest=audit.digest(comment.body_md),
        after_digest=audit.digest(comment.body_md),
        comment_version=comment.version,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    audit.write(
        session,
        site_id=comment.site_id,
        actor=None,
        action="comment.hold",
        target_type="comment",
        target_id=comment.id,
        rule_key=rule.key,
        note=note[:2000],
        automated=True,
        now=now,
    )
    t = text_for(session.get(User, comment.author_id), session.get(Site, comment.site_id))
    lines = [
        t(
            "On %(when)s, our automated system held your comment on “%(story)s”: “%(text)s”.",
            when=t.when(now),
            story=story.title or story.external_id,
            text=excerpt(comment.body_md),
        ),
        t(
            "Why: %(why)s. It is awaiting review by a moderator and is not visible to other "
            "readers until then.",
            why=why,
        ),
        rule_line(
            session,
            site_id=comment.site_id,
            key=rule.key,
            title=rule.title,
            version=rule.version,
            t=t,
        ),
        t(
            "This decision was automated. A moderator will review it and may publish it; "
            "you can also contest it."
        ),
    ]
    notifications_service.notify(
        session,
        user_id=comment.author_id,
        site_id=comment.site_id,
        kind=NotificationKind.DECISION,
        title=t("Your comment is awaiting review"),
        body="\n".join(lines),
        now=now,
        comment_id=comment.id,
        decision_id=decision.id,
        action=DecisionAction.HOLD.value,
        rule_key=rule.key,
        rule_title=rule.title,
        automated=True,
        contestable=True,
        locale=t.locale,
    )
    return decision


def flag(
    session: Session, *, comment: Comment, story: Story, reason: str, now: datetime
) -> QueueItem:
    """Publish, but put the comment in the Flagged queue for a moderator's look."""
    item = queues.open_item(
        session, comment=comment, queue=QueueName.FLAGGED, now=now, reason=reason
    )
    item.priority = sla.priority(session, item=item, comment=comment, story=story, now=now)
    events.record(
        session,
        events.ModerationChanged(
            kind=QueueName.FLAGGED,
            site_id=comment.site_id,
            comment_id=comment.id,
            payload={"queue": QueueName.FLAGGED, "item_id": item.id, "story_id": story.external_id},
        ),
    )
    return item


def held_event(session: Session, comment: Comment, story: Story) -> None:
    """Tell the story's readers a comment left the thread pending review."""
    events.record(
        session,
        events.CommentChanged(
            kind="held",
            site_id=comment.site_id,
            story_external_id=story.external_id,
            comment_id=comment.id,
            public=True,
            payload={"id": comment.id, "status": CommentStatus.HELD.value},
        ),
    )
