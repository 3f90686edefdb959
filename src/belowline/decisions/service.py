"""Decisions on comments: approve, amend, remove, restore — each citing a rule, on the record.

Invariants: one transaction writes the decision, the comment's new state (with a revision for
text changes), the closed queue items, the audit entry and the author's statement of reasons;
a stale `expected_version` or a concurrent decision gets 409 `conflict` with the current
decision; removal keeps a tombstone so replies stay in place; nothing is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from belowline import events, permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.comments import state
from belowline.comments.models import Comment, CommentRevision, CommentStatus, RevisionKind
from belowline.comments.rendering import render_markdown
from belowline.decisions import statements
from belowline.decisions.models import Decision, DecisionAction
from belowline.decisions.views import decision_view
from belowline.errors import BelowlineError, Conflict, ErrorCode, InvalidInput
from belowline.notifications import replies
from belowline.permissions import require
from belowline.policy import offenders
from belowline.queues import service as queues
from belowline.reports import outcomes
from belowline.reports.models import Report, ReporterStats, ReportStatus
from belowline.rules.citations import CitedRule, cite_rule
from belowline.stories import service as stories_service
from belowline.stories.models import Story
from belowline.textfields import clean_note

BULK_MAX = 100
BULK_ACTIONS = (DecisionAction.APPROVE, DecisionAction.REMOVE)


@dataclass(frozen=True)
class DecisionRequest:
    """What a moderator asks for; validated by `decide`."""

    action: str
    rule_id: str | None
    body: str | None = None
    note: str | None = None
    message: str | None = None
    expected_version: int | None = None
    notice_id: int | None = None  # the decision answers a notice (DSA Art. 16)


def _invalid(message: str) -> BelowlineError:
    return Conflict(message, code=ErrorCode.INVALID_ACTION)


def _parse_action(action: str) -> DecisionAction:
    try:
        parsed = DecisionAction(action)
        if parsed == DecisionAction.HOLD:  # only the automated policy holds
            raise ValueError(action)
        return parsed
    except ValueError:
        raise InvalidInput(
            "Choose approve, amend, remove or restore.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "action", "message": "approve, amend, remove or restore"}],
        ) from None


def latest_decision(session: Session, *, comment_id: int) -> Decision | None:
    """The most recent decision on a comment, if any."""
    return session.scalar(
        select(Decision)
        .where(Decision.comment_id == comment_id)
        .order_by(Decision.id.desc())
        .limit(1)
    )


def _conflict(session: Session, comment: Comment) -> Conflict:
    current = latest_decision(session, comment_id=comment.id)
    return Conflict(
        "Someone else has just decided on this comment; review their decision before acting.",
        code=ErrorCode.CONFLICT,
        current_version=comment.version,
        current_decision=decision_view(current) if current else None,
    )


def _claim(session: Session, comment: Comment, expected: int | None) -> None:
    """Compare-and-set on the comment's version: the row lock makes racing deciders queue up."""
    if expected is not None and expected != comment.version:
        raise _conflict(session, comment)
    claimed = session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.version == comment.version)
        .values(version=comment.version)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(comment)
        raise _conflict(session, comment)


def _resolve_reports(session: Session, *, comment_id: int, upheld: bool, now: datetime) -> int:
    """Close the comment's open reports, crediting or debiting each reporter's record."""
    reports = session.scalars(
        select(Report).where(Report.comment_id == comment_id, Report.status == ReportStatus.OPEN)
    ).all()
    for report in reports:
        report.status = ReportStatus.UPHELD if upheld else ReportStatus.DISMISSED
        report.resolved_at = now
        stats = session.get(ReporterStats, report.reporter_id)
        if stats is not None:
            if upheld:
                stats.reports_upheld += 1
            else:
                stats.reports_dismissed += 1
    return len(reports)


def _reopen_reports(session: Session, *, comment_id: int) -> int:
    """Undoing a removal: the reports it upheld are open again, and their credit withdrawn."""
    reports = session.scalars(
        select(Report).where(Report.comment_id == comment_id, Report.status == ReportStatus.UPHELD)
    ).all()
    for report in reports:
        report.status = ReportStatus.OPEN
        report.resolved_at = None
        stats = session.get(ReporterStats, report.reporter_id)
        if stats is not None and stats.reports_upheld > 0:
            stats.reports_upheld -= 1
    return len(reports)


def _approve(session: Session, comment: Comment, now: datetime) -> str:
    if comment.status == CommentStatus.HELD:
        state.change_status(session, comment, CommentStatus.PUBLISHED)
        comment.held_reason = None
        _resolve_reports(session, comment_id=comment.id, upheld=False, now=now)
        return "approved"
    has_open = queues.has_open_items(session, comment_id=comment.id)
    if comment.status != CommentStatus.PUBLISHED or not has_open:
        raise _invalid("There is nothing to approve: the comment is not awaiting a decision.")
    _resolve_reports(session, comment_id=comment.id, upheld=False, now=now)
    comment.version += 1
    stories_service.bump_version(session, story_id=comment.story_id)
    return ""


def _revise(
    session: Session,
    comment: Comment,
    text: str,
    kind: RevisionKind,
    actor: User | None,
    now: datetime,
) -> None:
    comments_service.keep_original(session, comment)
    comment.body_md = text
    comment.body_html = render_markdown(text)
    session.add(
        CommentRevision(
            comment_id=comment.id,
            kind=kind,
            body_md=text,
            body_html=comment.body_html,
            editor_id=actor.id if actor else None,
            created_at=now,
        )
    )
    comment.version += 1
    stories_service.bump_version(session, story_id=comment.story_id)


def _amend(
    session: Session, comment: Comment, body: str | None, actor: User | None, now: datetime
) -> str:
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD):
        raise _invalid("Only a published or held comment can be amended; restore it first.")
    site = stories_service.get_site(session, site_id=comment.site_id)
    text = comments_service.validate_body(site, body or "")
    if text == comment.body_md:
        raise _invalid("The amended text is the same as the current text.")
    _revise(session, comment, text, RevisionKind.MODERATOR_AMEND, actor, now)
    comment.moderator_edited = True
    _resolve_reports(session, comment_id=comment.id, upheld=True, now=now)
    return "edited"


def _remove(session: Session, comment: Comment, rule: CitedRule, now: datetime) -> str:
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD):
        raise _invalid("This comment has already been removed or deleted.")
    state.change_status(session, comment, CommentStatus.REMOVED)
    comment.removal_rule_id = rule.key
    comment.removal_reason = f"Removed by a moderator: it broke the rule “{rule.title}”."[:300]
    _resolve_reports(session, comment_id=comment.id, upheld=True, now=now)
    return "removed"


def _restore(session: Session, comment: Comment, actor: User | None, now: datetime) -> str:
    if comment.status == CommentStatus.REMOVED:
        state.change_status(session, comment, CommentStatus.PUBLISHED)
        comment.removal_rule_id = None
        comment.removal_reason = None
        return "restored"
    if comment.status in (CommentStatus.PUBLISHED, CommentStatus.HELD) and comment.moderator_edited:
        revisions = session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment.id)
            .order_by(CommentRevision.id.desc())
        ).all()
        amend = next((r for r in revisions if r.kind == RevisionKind.MODERATOR_AMEND), None)
        before = next((r for r in revisions if amend and r.id < amend.id), None)
        if amend is not None and before is not None:
            _revise(session, comment, before.body_md, RevisionKind.RESTORE, actor, now)
            comment.moderator_edited = before.kind == RevisionKind.MODERATOR_AMEND
            return "restored"
    raise _invalid("There is nothing to restore: this comment was not removed or amended.")


NO_RULE = CitedRule(key="", title="", version=0)


def _cited(
    session: Session, site_id: str, action: DecisionAction, rule_id: str | None
) -> CitedRule:
    """Removing or amending cites a rule; approving or restoring may (it need not)."""
    if action in (DecisionAction.APPROVE, DecisionAction.RESTORE) and not (rule_id or "").strip():
        return NO_RULE
    return cite_rule(session, site_id=site_id, rule_key=rule_id)


def decide(
    session: Session,
    *,
    actor: User | None,
    comment_id: int,
    request: DecisionRequest,
    now: datetime,
    automated: bool = False,
) -> Decision:
    """Apply a moderation decision to a comment (actor None means the automated pipeline)."""
    comment, story = comments_service.get_comment(session, comment_id=comment_id)
    if not automated:
        require(permissions.can_decide, actor, comment.site_id)
    action = _parse_action(request.action)
    rule = _cited(session, comment.site_id, action, request.rule_id)
    note = clean_note(request.note, field="note")
    message = clean_note(request.message, field="message")
    _claim(session, comment, request.expected_version)
    before = comment.body_md
    was_removed = comment.status == CommentStatus.REMOVED
    was_unseen = comment.status != CommentStatus.PUBLISHED  # a held reply's notice is owed
    reports_before = outcomes.open_report_ids(session, comment_id=comment.id)
    if action == DecisionAction.APPROVE:
        change = _approve(session, comment, now)
    elif action == DecisionAction.AMEND:
        change = _amend(session, comment, request.body, actor, now)
    elif action == DecisionAction.REMOVE:
        change = _remove(session, comment, rule, now)
    else:
        change = _restore(session, comment, actor, now)
    session.flush()
    decision = Decision(
        site_id=comment.site_id,
        comment_id=comment.id,
        author_id=comment.author_id,
        action=action,
        rule_key=rule.key,
        rule_title=rule.title,
        rules_version=rule.version,
        note=note,
        message_to_author=message,
        actor_id=actor.id if actor else None,
        automated=automated,
        before_digest=audit.digest(before),
        after_digest=audit.digest(comment.body_md),
        comment_version=comment.version,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    closed = queues.close_items(session, comment_id=comment.id, decision=decision, now=now)
    if (
        action == DecisionAction.RESTORE
        and was_removed
        and _reopen_reports(session, comment_id=comment.id)
    ):
        queues.reopen_reported(session, comment_id=comment.id)  # back for a fresh look
    audit.write(
        session,
        site_id=comment.site_id,
        actor=actor,
        action=f"comment.{action.value}",
        target_type="comment",
        target_id=comment.id,
        rule_key=rule.key or None,
        note=note,
        before=before,
        after=comment.body_md,
        automated=automated,
        now=now,
    )
    if change:
        statements.for_decision(
            session,
            decision=decision,
            comment=comment,
            story=story,
            facts=statements.Facts(
                before=before,
                queues=[i.queue for i in closed],
                reports=len(reports_before),
                notice=request.notice_id is not None,
            ),
        )
    still_open = set(outcomes.open_report_ids(session, comment_id=comment.id))
    outcomes.tell_reporters(
        session,
        report_ids=[r for r in reports_before if r not in still_open],
        decision=decision,
        comment=comment,
        story=story,
        original=before,
    )
    if was_unseen and comment.status == CommentStatus.PUBLISHED:
        replies.on_published(session, reply=comment, story=story, now=now)
    if action == DecisionAction.REMOVE:  # the repeat-offender ladder
        offenders.after_removal(session, comment=comment, rule_key=rule.key, now=now)
    _record_events(session, comment, story, decision, change, [i.id for i in closed])
    return decision


def _record_events(
    session: Session,
    comment: Comment,
    story: Story,
    decision: Decision,
    change: str,
    item_ids: list[int],
) -> None:
    if change:
        public = comment.status != CommentStatus.HELD
        events.record(
            session,
            events.CommentChanged(
                kind=change,
                site_id=comment.site_id,
                story_external_id=story.external_id,
                comment_id=comment.id,
                public=public,
                payload=comments_service.view(session, comment, story) if public else {},
            ),
        )
    events.record(
        session,
        events.ModerationChanged(
            kind="decided",
            site_id=comment.site_id,
            comment_id=comment.id,
            payload={
                "action": decision.action,
                "decision_id": decision.id,
                "item_ids": item_ids,
                "story_id": story.external_id,
                "comment_version": comment.version,
            },
        ),
    )
