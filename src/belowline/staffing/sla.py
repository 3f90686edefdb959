"""Queue priority, SLA clocks and the staffing figures behind the dashboard.

Priority = weighted reports (brigades discounted) + 2 x the strongest of abuse and spam (when
at least 0.5) + 0.5 x off-topic (when at least 0.9) + 0.5 x ln(1 + comments on the story in
the last hour) + 2 x the share of the SLA already used (capped at 1) + 1 if breached. Weak
scores are left out so that readers' reports, not scorer noise, order the Reported queue.
The SLA target is set by the coverage level when the item's clock started (full 1 h, part
4 h, none 12 h by default).
"""

from __future__ import annotations

import math
import weakref
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.comments.views import iso
from belowline.permissions import require
from belowline.policy.config import policy_config
from belowline.queues.models import QueueItem, QueueName, QueueStatus
from belowline.reports.models import Report
from belowline.staffing.schedule import DAYS, Coverage, coverage_at, site_schedule
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story

if TYPE_CHECKING:
    from belowline.reports.trust import ReportPressure

ACTIVITY_WINDOW = timedelta(hours=1)
DEFAULT_SLA_HOURS = {"full": 1.0, "part": 4.0, "none": 12.0}
HARM_FLOOR = 0.5
OFF_TOPIC_FLOOR = 0.9
# Active learning: among items of like urgency, the one the model is least sure of comes
# first, since a moderator's decision on it teaches the nightly retraining most. Worth less
# than the harm term, so a clearly abusive comment still outranks a doubtful one.
UNSURE_WEIGHT = 0.5


def _sla_hours(site: Site) -> dict[str, float]:
    hours = policy_config(site).get("sla_hours") or {}
    return {k: float(hours.get(k, v)) for k, v in DEFAULT_SLA_HOURS.items()}


def clock(session: Session, *, item: QueueItem, now: datetime) -> dict[str, Any]:
    """An item's SLA clock: when it started, its target, when it is due, whether breached."""
    site = session.get(Site, item.site_id)
    assert site is not None  # noqa: S101 - the item's site exists
    started = item.first_reported_at or item.opened_at
    return sla_clock(
        site,
        started=started,
        is_open=item.status == QueueStatus.OPEN,
        now=now,
        hours=_sla_hours(site),
    )


def sla_clock(
    site: Site, *, started: datetime, is_open: bool, now: datetime, hours: dict[str, float]
) -> dict[str, Any]:
    """A clock whose target follows the coverage level when it started (queues, notices)."""
    level, _ = coverage_at(site_schedule(site), started)
    target = timedelta(hours=hours[level.value])
    due = started + target
    return {
        "since": iso(started),
        "waiting_seconds": int((now - started).total_seconds()),
        "coverage": level.value,
        "target_seconds": int(target.total_seconds()),
        "due_at": iso(due),
        "breached": is_open and now > due,
    }


def _story_activity(session: Session, story_id: int, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count(Comment.id)).where(
                Comment.story_id == story_id, Comment.created_at >= now - ACTIVITY_WINDOW
            )
        )
        or 0
    )


def priority(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    story: Story,
    now: datetime,
    report_weight: ReportPressure | None = None,
) -> float:
    """Rank an item: reports, scores, the story's activity and the SLA used so far."""
    scores = comment.scores or {}
    weight = (
        report_weight.effective_weight
        if report_weight is not None
        else float((scores.get("reports") or {}).get("effective_weight", item.report_weight))
    )
    harm = max(float(scores.get("abuse") or 0.0), float(scores.get("spam") or 0.0))
    off_topic = float(scores.get("off_topic") or 0.0)
    activity = math.log1p(_story_activity(session, story.id, now))
    sla = clock(session, item=item, now=now)
    used = min(1.0, max(0.0, sla["waiting_seconds"] / max(1, sla["target_seconds"])))
    value = float(weight) + 0.5 * activity + 2 * used
    value += 2 * harm if harm >= HARM_FLOOR else 0.0
    value += 0.5 * off_topic if off_topic >= OFF_TOPIC_FLOOR else 0.0
    value += 1.0 if sla["breached"] else 0.0
    if scores.get("abuse") is not None:
        value += UNSURE_WEIGHT * unsure(float(scores["abuse"]))
    return round(float(value), 3)


def unsure(probability: float) -> float:
    """1 where the model cannot tell (0.5), 0 where it is certain (0 or 1)."""
    return 1.0 - min(1.0, abs(2.0 * probability - 1.0))


# Re-ranking touches every open item, so a queue is re-ranked at most once a minute per
# process; reports and flags update their own item's priority as they happen. Time passing
# alone never re-ranks: the order changes only when the queue does (an item comes or goes, a
# report arrives), so a moderator who loads the queue twice sees the same order both times.
RERANK_EVERY = timedelta(seconds=60)
_last_rerank: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], tuple[datetime, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _signature(session: Session, *, site_id: str, queue: str) -> tuple[Any, ...]:
    """What the queue holds, in one aggregate: unchanged means nothing to re-rank for."""
    row = session.execute(
        select(
            func.count(QueueItem.id),
            func.max(QueueItem.id),
            func.sum(QueueItem.report_count),
            func.max(QueueItem.first_reported_at),
            func.max(QueueItem.opened_at),
        ).where(
            QueueItem.site_id == site_id,
            QueueItem.queue == queue,
            QueueItem.status == QueueStatus.OPEN,
        )
    ).one()
    return tuple(row)


def refresh_priorities(session: Session, *, site_id: str, queue: str, now: datetime) -> None:
    """Re-rank a queue's open items when it changed, so age and activity count as time passes."""
    seen = _last_rerank.setdefault(session.get_bind(), {})
    last = seen.get((site_id, queue))
    if last is not None and timedelta(0) <= now - last[0] < RERANK_EVERY:
        return
    signature = _signature(session, site_id=site_id, queue=queue)
    if last is not None and last[1] == signature:
        return
    seen[(site_id, queue)] = (now, signature)
    rows = session.execute(
        select(QueueItem, Comment, Story)
        .join(Comment, Comment.id == QueueItem.comment_id)
        .join(Story, Story.id == QueueItem.story_id)
        .where(
            QueueItem.site_id == site_id,
            QueueItem.queue == queue,
            QueueItem.status == QueueStatus.OPEN,
        )
        .limit(1000)
    ).all()
    for item, comment, story in rows:
        item.priority = priority(session, item=item, comment=comment, story=story, now=now)
    session.flush()


# --- figures for the dashboard ------------------------------------------------------------


def figures(
    session: Session, *, actor: User, site_id: str, now: datetime, weeks: int = 4
) -> dict[str, Any]:
    """Queue depth and SLA breaches now; comment and report volume by hour of the week."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_moderate, actor, site.id)
    schedule = site_schedule(site)
    depth: dict[str, int] = {}
    breaches: dict[str, int] = {}
    for queue in QueueName:
        items = session.scalars(
            select(QueueItem).where(
                QueueItem.site_id == site.id,
                QueueItem.queue == queue,
                QueueItem.status == QueueStatus.OPEN,
            )
        ).all()
        depth[queue.value] = len(items)
        breaches[queue.value] = sum(1 for i in items if clock(session, item=i, now=now)["breached"])
    since = now - timedelta(weeks=weeks)
    zone = schedule.zone
    grid = [[{"comments": 0, "reports": 0} for _ in range(24)] for _ in range(7)]
    for (at,) in session.execute(
        select(Comment.created_at).where(Comment.site_id == site.id, Comment.created_at >= since)
    ):
        local = at.astimezone(zone)
        grid[local.weekday()][local.hour]["comments"] += 1
    for (at,) in session.execute(
        select(Report.created_at).where(Report.site_id == site.id, Report.created_at >= since)
    ):
        local = at.astimezone(zone)
        grid[local.weekday()][local.hour]["reports"] += 1
    hours = []
    for day in range(7):
        for hour in range(24):
            # The weekly pattern at the half hour (exceptions are dated, so not shown here).
            probe = datetime(2001, 1, 1 + day, hour, 30)  # noqa: DTZ001 - a local wall time; a Monday
            level = _weekly_level(schedule, probe)
            hours.append(
                {
                    "day": DAYS[day],
                    "hour": hour,
                    "comments": grid[day][hour]["comments"] / weeks,
                    "reports": grid[day][hour]["reports"] / weeks,
                    "coverage": level.value,
                }
            )
    return {
        "site_id": site.id,
        "at": iso(now),
        "timezone": schedule.timezone,
        "queue_depth": depth,
        "breaches": breaches,
        "breached_total": sum(breaches.values()),
        "volume": {"weeks": weeks, "per": "average per hour of the week", "hours": hours},
    }


def _weekly_level(schedule: Any, local: datetime) -> Coverage:
    for block in schedule.weekly:
        if block.covers(local):
            return Coverage(block.coverage)
    return Coverage(schedule.default)
