"""The semantic tier after publishing: a post enqueues its scoring; the outbox worker scores
batches of comments with sentence embeddings and flags (or, outside full coverage, hides)
what the fast tier let through.

The post path only writes an outbox message in the comment's transaction (no torch, no model).
The handler claims every other due message of its kind, embeds the comments in one batch,
and acts on the two tiers' combined abuse score with the site's own abuse thresholds for the
coverage level of the moment, so a comment the fast tier published is flagged or held within
seconds. Without the `semantic` extra the handler is not registered and posts enqueue nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime

import anyio
from sqlalchemy.orm import Session, sessionmaker

from belowline.accounts.models import User
from belowline.clock import Clock
from belowline.comments import state
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.service import Followup, PostPolicy
from belowline.outbox import service as outbox
from belowline.outbox.service import Claimed
from belowline.outbox.worker import Handler
from belowline.policy import automated
from belowline.policy.config import RULE_FOR, policy_config
from belowline.queues import service as queues
from belowline.queues.models import QueueName
from belowline.staffing import sla
from belowline.staffing.schedule import Coverage, coverage_at, site_schedule
from belowline.stories.models import Site, Story
from belowline.triage.semantic import encoder as semantic_encoder

__all__ = ["KIND", "SemanticHandler", "after", "register", "warm_up"]

log = logging.getLogger("belowline.policy.semantic")

KIND = "semantic_score"
BATCH = 64


def enqueue(session: Session, comment: Comment, now: datetime) -> None:
    """Ask for the semantic score of this version of a published comment."""
    if comment.status != CommentStatus.PUBLISHED:
        return  # held or pre-moderated: a moderator reads it anyway
    outbox.enqueue(
        session,
        kind=KIND,
        payload={"comment_id": comment.id, "version": comment.version},
        now=now,
        site_id=comment.site_id,
    )


def after(policy: PostPolicy) -> PostPolicy:
    """Wrap a post or edit policy: once the comment is written, enqueue its semantic score."""

    def wrapped(
        session: Session, comment: Comment, story: Story, author: User, now: datetime
    ) -> Followup | None:
        then = policy(session, comment, story, author, now)
        if comment.id is not None and then is None:  # an edit: the comment has its id
            enqueue(session, comment, now)
            return None

        def followup() -> None:
            if then is not None:
                then()
            enqueue(session, comment, now)

        return followup

    return wrapped


@dataclass(frozen=True, slots=True)
class _Job:
    comment_id: int
    version: int
    text: str
    fast: float


class SemanticHandler:
    """The outbox handler of kind `semantic_score`: one batch per call, all due messages."""

    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock, batch: int = BATCH):
        self.sessions = sessions
        self.clock = clock
        self.batch = batch

    async def __call__(self, message: Claimed) -> None:
        await anyio.to_thread.run_sync(self.run, message)

    def run(self, message: Claimed) -> None:
        """Score this message's comment with every other due one; raise to retry them all."""
        with self.sessions() as session:
            extra = outbox.claim_due(session, now=self.clock(), kinds=(KIND,), limit=self.batch - 1)
            session.commit()
        messages = [message, *extra]
        try:
            self._score(messages)
        except Exception as exc:
            with self.sessions() as session:
                for other in extra:
                    outbox.mark_failed(
                        session, message_id=other.id, error=f"{type(exc).__name__}: {exc}",
                        now=self.clock(),
                    )  # fmt: skip
                session.commit()
            raise

    def _score(self, messages: list[Claimed]) -> None:
        from belowline.triage.semantic.head import combine, load_head

        jobs = self._jobs(messages)
        vectors = semantic_encoder.encoder().embed([j.text for j in jobs])
        head = load_head()
        now = self.clock()
        with self.sessions() as session:
            for job, vector in zip(jobs, vectors, strict=True):
                value = head.predict(vector)
                _act(session, job, value, combine(job.fast, value), now)
            for other in messages[1:]:
                outbox.mark_sent(session, message_id=other.id, now=now)
            session.commit()
        log.debug("semantic tier: scored %d comments", len(jobs))

    def _jobs(self, messages: list[Claimed]) -> list[_Job]:
        jobs: dict[int, _Job] = {}
        with self.sessions() as session:
            for message in messages:
                comment = session.get(Comment, int(message.payload.get("comment_id", 0)))
                version = int(message.payload.get("version", 0))
                if comment is None or comment.version != version or comment.id in jobs:
                    continue
                if comment.status != CommentStatus.PUBLISHED:
                    continue
                scores = comment.scores or {}
                if (scores.get("semantic") or {}).get("version") == version:
                    continue  # delivered twice: already scored
                fast = float(scores.get("abuse") or 0.0)
                jobs[comment.id] = _Job(comment.id, version, comment.body_md, fast)
        return list(jobs.values())


def _act(session: Session, job: _Job, value: float, combined: float, now: datetime) -> None:
    """Record the scores; flag or hold by the site's abuse thresholds at this coverage level."""
    comment = session.get(Comment, job.comment_id, with_for_update=True)
    if comment is None or comment.version != job.version:
        return  # edited or moderated meanwhile: that version has its own message
    if comment.status != CommentStatus.PUBLISHED:
        return
    site = session.get(Site, comment.site_id)
    story = session.get(Story, comment.story_id)
    if site is None or story is None:
        return
    level, _ = coverage_at(site_schedule(site), now)
    limits = policy_config(site)["thresholds"][level.value].get("abuse") or {}
    action = _action(limits, job.fast, combined)
    comment.scores = {
        **(comment.scores or {}),
        "semantic": {
            "version": job.version,
            "score": round(value, 4),
            "combined": round(combined, 4),
            "coverage": level.value,
            "outcome": action,
            "scored_at": now.isoformat(),
        },
    }
    summary = f"semantic tier: abuse {combined:.2f} (semantic {value:.2f}, fast {job.fast:.2f})"
    if action == "flag":
        automated.flag(session, comment=comment, story=story, reason=summary, now=now)
    elif action == "hold":
        _hold(session, comment=comment, story=story, level=level, combined=combined,
              summary=summary, now=now)  # fmt: skip


def _action(limits: dict[str, float | None], fast: float, combined: float) -> str:
    """Act only where the combined score passes a threshold the fast tier's score did not."""
    hold, flag = limits.get("hold"), limits.get("flag")
    if hold is not None and combined >= hold > fast:
        return "hold"
    if flag is not None and combined >= flag > fast:
        return "flag"
    return "none"


def _hold(
    session: Session,
    *,
    comment: Comment,
    story: Story,
    level: Coverage,
    combined: float,
    summary: str,
    now: datetime,
) -> None:
    """Take a published comment down pending review, on the record like the post path's holds."""
    rule = automated.cite(session, site_id=comment.site_id, preferred=RULE_FOR["abuse"])
    comment.held_reason = f"Held by automated triage: {summary}"[:300]
    state.change_status(session, comment, CommentStatus.HELD)
    automated.held_event(session, comment, story)
    item = queues.open_item(
        session, comment=comment, queue=QueueName.HELD, now=now, reason=comment.held_reason
    )
    item.priority = sla.priority(session, item=item, comment=comment, story=story, now=now)
    duty = automated.duty_phrase(level)
    automated.record_hold(
        session,
        comment=comment,
        story=story,
        rule=rule,
        why=f"it may be abusive or uncivil (automated score {combined:.2f}, {duty})",
        note=f"Automated hold at {level.value} coverage after publishing: {summary}",
        now=now,
    )


async def warm_up() -> None:
    """Load the model in a thread at start-up (seconds), not on the first comment's batch."""
    try:
        await anyio.to_thread.run_sync(semantic_encoder.encoder().load)
    except Exception:  # the handler will retry (and log) when it needs the model
        log.exception("semantic tier: the model did not load")


_WARNED: list[bool] = []


def register(
    handlers: MutableMapping[str, Handler],
    *,
    sessions: sessionmaker[Session],
    clock: Clock,
    enabled: bool = True,
    installed: Callable[[], bool] = semantic_encoder.available,
) -> bool:
    """Add the handler when the tier is on and the extra installed; say once when it is not."""
    if not enabled:
        return False
    if not installed():
        if not _WARNED:
            _WARNED.append(True)
            log.info("semantic tier off: the 'semantic' extra is not installed (fast tier only)")
        return False
    handlers[KIND] = SemanticHandler(sessions, clock=clock)
    return True
