"""The coverage-aware post policy: triage every post and edit, then act by the site's thresholds.

Per site and per coverage level (full, part, none) each score has a `flag` and a `hold`
threshold: below both the comment is published; past `flag` it is published and put in the
Flagged queue; past `hold` it is held for review (its author sees "Awaiting review"). Banned
words can reject a post outright if the site opts in. Outside full coverage, readers' weighted
reports past a threshold hide a comment pending review, unless they look like a brigade.

Every automated hold is a `hold` decision on the record (automated = true), audited, with a
statement of reasons to the author; a moderator reverses it by approving the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments import state
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.service import Followup, default_policy
from belowline.db.prepared import Prepared
from belowline.errors import ErrorCode, InvalidInput
from belowline.policy import automated
from belowline.policy.config import RULE_FOR, policy_config
from belowline.policy.scoring import site_scorer
from belowline.queues import service as queues
from belowline.queues.models import QueueName
from belowline.staffing import sla
from belowline.staffing.schedule import Coverage, coverage_at, site_schedule
from belowline.stories.models import Site, Story
from belowline.triage.pipeline import TriageResult

SIGNALS = ("abuse", "spam", "off_topic")
RECENT_WINDOW = timedelta(hours=24)
RECENT_LIMIT = 20

_AUTHOR_REASON = {
    "abuse": "it may be abusive or uncivil",
    "spam": "it looks like spam or advertising",
    "off_topic": "it may be off topic",
}


@dataclass(frozen=True)
class Outcome:
    action: str  # publish | flag | hold
    signal: str | None
    reasons: tuple[str, ...]


_SEVERITY = {"publish": 0, "flag": 1, "hold": 2}


def choose(values: dict[str, float | None], thresholds: dict[str, Any]) -> Outcome:
    """The strongest action any score calls for at this coverage level's thresholds."""
    action, signal, margin = "publish", None, -1.0
    for name in SIGNALS:
        value = values.get(name)
        limits = thresholds.get(name) or {}
        if value is None:
            continue
        for step in ("hold", "flag"):
            limit = limits.get(step)
            if limit is None or value < limit:
                continue
            better = _SEVERITY[step] > _SEVERITY[action] or (
                step == action and value - limit > margin
            )
            if better:
                action, signal, margin = step, name, value - limit
            break
    return Outcome(action=action, signal=signal, reasons=())


# The author's recent posts, built once (building a SELECT costs more than running it);
# a new comment has no id yet, an edited one leaves itself out.
_RECENT_SELECT = (
    select(Comment.body_md, Comment.created_at)
    .where(Comment.author_id == bindparam("author_id"), Comment.created_at >= bindparam("since"))
    .order_by(Comment.created_at.desc())
    .limit(RECENT_LIMIT)
)
_RECENT = Prepared(_RECENT_SELECT)
_RECENT_OTHERS = Prepared(_RECENT_SELECT.where(Comment.id != bindparam("comment_id")))


def score(
    session: Session, *, comment: Comment, story: Story, site: Site, now: datetime
) -> tuple[TriageResult, dict[str, float | None], int | None]:
    """Run triage with the comment's context: article, parent, the author's recent posts."""
    parent = session.get(Comment, comment.parent_id) if comment.parent_id else None
    params = {"author_id": comment.author_id, "since": now - RECENT_WINDOW}
    if comment.id is None:
        recent = _RECENT.all(session, params)
    else:
        recent = _RECENT_OTHERS.all(session, {**params, "comment_id": comment.id})
    scored = site_scorer(session, site).score(
        comment.body_md,
        article=story.text or None,
        parent=parent.body_md if parent is not None else None,
        recent_texts=[r[0] for r in recent],
        recent_times=[r[1] for r in recent],
        now=now,
    )
    return scored.result, scored.values, scored.model_id


def _reject_banned(config: dict[str, Any], result: TriageResult) -> None:
    if config.get("reject_banned_words") and result.banned_words:
        raise InvalidInput(
            "Your comment contains words this site does not allow "
            f"({', '.join(result.banned_words[:3])}). Edit it and post again.",
            code=ErrorCode.BANNED_WORDS,
            words=list(result.banned_words),
        )


def _scores_json(
    result: TriageResult,
    values: dict[str, float | None],
    level: Coverage,
    outcome: Outcome,
    model_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    out = result.to_json()
    out["abuse"] = round(values["abuse"] or 0.0, 4)
    out.update(
        coverage=level.value,
        outcome=outcome.action,
        signal=outcome.signal,
        site_model=model_id,
        scored_at=now.isoformat(),
    )
    return out


def _summary(outcome: Outcome, result: TriageResult, values: dict[str, float | None]) -> str:
    value = values.get(outcome.signal or "") or 0.0
    head = f"{outcome.signal} {value:.2f}" if outcome.signal else "triage"
    return "; ".join([head, *result.reasons])[:300]


def _apply(
    session: Session,
    *,
    comment: Comment,
    story: Story,
    now: datetime,
    editing: bool,
) -> Followup | None:
    """Score and decide now; return the writes that need the comment's id (new comments)."""
    site = session.get(Site, comment.site_id)
    assert site is not None  # noqa: S101 - the comment's site exists
    config = policy_config(site)
    level, _ = coverage_at(site_schedule(site), now)
    result, values, model_id = score(session, comment=comment, story=story, site=site, now=now)
    _reject_banned(config, result)
    outcome = choose(values, config["thresholds"][level.value])
    comment.scores = _scores_json(result, values, level, outcome, model_id, now)
    if outcome.action == "publish" or comment.status not in (
        CommentStatus.PUBLISHED,
        CommentStatus.HELD,
    ):
        return None
    summary = _summary(outcome, result, values)
    if outcome.action == "flag" or comment.status == CommentStatus.HELD:
        if comment.status != CommentStatus.PUBLISHED:
            return None

        def flag() -> None:
            automated.flag(session, comment=comment, story=story, reason=summary, now=now)

        return _now_if(editing, flag)
    # Hold: a new comment is held before anyone sees it; an edited one is taken down.
    signal = outcome.signal or "abuse"
    rule = automated.cite(
        session, site_id=comment.site_id, preferred=RULE_FOR.get(signal, "respect")
    )
    if not editing:
        comment.status = CommentStatus.HELD
    comment.held_reason = f"Held by automated triage: {summary}"[:300]
    reason = _AUTHOR_REASON.get(signal, "it may break the rules")
    duty = automated.duty_phrase(level)

    def hold() -> None:
        if editing:
            state.change_status(session, comment, CommentStatus.HELD)
            automated.held_event(session, comment, story)
            item = queues.open_item(
                session, comment=comment, queue=QueueName.HELD, now=now, reason=comment.held_reason
            )
            item.priority = sla.priority(session, item=item, comment=comment, story=story, now=now)
        automated.record_hold(
            session,
            comment=comment,
            story=story,
            rule=rule,
            why=f"{reason} (automated score {values.get(signal) or 0.0:.2f}, {duty})",
            note=f"Automated hold at {level.value} coverage: {summary}",
            now=now,
        )

    return _now_if(editing, hold)


def _now_if(editing: bool, followup: Followup) -> Followup | None:
    """An edited comment already has its id: write at once; a new one writes after its INSERT."""
    if editing:
        followup()
        return None
    return followup


def triage_policy(
    session: Session, comment: Comment, story: Story, author: User, now: datetime
) -> Followup | None:
    """The `PostPolicy` create_app installs: pre-moderation first, then triage and thresholds."""
    default_policy(session, comment, story, author, now)
    return _apply(session, comment=comment, story=story, now=now, editing=False)


def edit_policy(
    session: Session,
    comment: Comment,
    story: Story,
    author: User,  # noqa: ARG001 - the PostPolicy signature
    now: datetime,
) -> Followup | None:
    """Re-triage an edited comment: new scores; flag it, or take it down for review."""
    return _apply(session, comment=comment, story=story, now=now, editing=True)
