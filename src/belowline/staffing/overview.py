"""The dashboard's Overview and schedule preview: figures gathered from staffing, SLA and learning.

Everything here reads; the schedule is written by `staffing.put_schedule` only.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.decisions.models import Decision
from belowline.learning import service as learning
from belowline.permissions import require
from belowline.queues.models import QueueItem, QueueName, QueueStatus
from belowline.staffing import schedule as staffing
from belowline.staffing import sla
from belowline.stories import service as stories_service

QUEUE_LABELS = {"reported": "Reported", "flagged": "Flagged", "held": "Held"}
COVERAGE_LABELS = {"full": "Full-time", "part": "Part-time", "none": "No moderators"}
COVERAGE_SHORT = {"full": "F", "part": "P", "none": "–"}
ACTION_WINDOW = timedelta(days=7)


def _percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile of sorted values (None when there are none)."""
    if not values:
        return None
    rank = max(1, math.ceil(share * len(values)))
    return values[rank - 1]


def time_to_action(session: Session, *, site_id: str, now: datetime) -> list[dict[str, Any]]:
    """Median and p90 from an item's clock starting to a moderator's decision, last 7 days."""
    rows = session.execute(
        select(QueueItem.queue, QueueItem.first_reported_at, QueueItem.opened_at, Decision)
        .join(Decision, Decision.id == QueueItem.decision_id)
        .where(
            QueueItem.site_id == site_id,
            QueueItem.decided_at >= now - ACTION_WINDOW,
            Decision.automated.is_(False),
        )
    ).all()
    waits: dict[str, list[float]] = {q.value: [] for q in QueueName}
    for queue, reported_at, opened_at, decision in rows:
        started = reported_at or opened_at
        waits[queue].append(max(0.0, (decision.created_at - started).total_seconds()))
    out = []
    every: list[float] = []
    for queue, values in waits.items():
        values.sort()
        every.extend(values)
        out.append(
            {
                "queue": queue,
                "label": QUEUE_LABELS[queue],
                "decisions": len(values),
                "median": _percentile(values, 0.5),
                "p90": _percentile(values, 0.9),
            }
        )
    every.sort()
    out.append(
        {
            "queue": "all",
            "label": "All queues",
            "decisions": len(every),
            "median": _percentile(every, 0.5),
            "p90": _percentile(every, 0.9),
        }
    )
    return out


def _model(session: Session, *, site_id: str) -> dict[str, Any]:
    """The current abuse model: adopted by this site (with its figures) or the built-in one."""
    site = stories_service.get_site(session, site_id=site_id)
    view = learning.model_view(session, site=site, limit=5)
    current = view["current"]
    last_run = view["runs"][0] if view["runs"] else None
    if current.get("id"):
        trained = (
            datetime.fromisoformat(current["trained_at"]) if current.get("trained_at") else None
        )
        return {
            "built_in": False,
            "id": current["id"],
            "trained_at": trained,
            "auc": current.get("auc"),
            "auc_before": current.get("auc_before"),
            "test_examples": current.get("test_examples"),
            "last_run": last_run,
        }
    return {"built_in": True, "last_run": last_run}


def overview(session: Session, *, actor: User, site_id: str, now: datetime) -> dict[str, Any]:
    """Everything the Overview page shows, for the site's moderators and admins."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_moderate, actor, site.id)
    coverage = staffing.coverage_view(session, actor=actor, site_id=site.id, now=now)
    data = sla.figures(session, actor=actor, site_id=site.id, now=now)
    targets = sla._sla_hours(site)
    queues = [
        {
            "queue": q.value,
            "label": QUEUE_LABELS[q.value],
            "depth": data["queue_depth"][q.value],
            "breaches": data["breaches"][q.value],
        }
        for q in QueueName
    ]
    oldest = session.scalar(
        select(QueueItem.opened_at)
        .where(QueueItem.site_id == site.id, QueueItem.status == QueueStatus.OPEN)
        .order_by(QueueItem.opened_at)
        .limit(1)
    )
    return {
        "coverage": coverage,
        "until_local": (
            datetime.fromisoformat(coverage["until_local"]) if coverage["until_local"] else None
        ),
        "queues": queues,
        "depth_total": sum(q["depth"] for q in queues),
        "breached_total": data["breached_total"],
        "oldest_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "targets": [
            {"level": k, "label": COVERAGE_LABELS[k], "hours": v} for k, v in targets.items()
        ],
        "volume": data["volume"],
        "timezone": data["timezone"],
        "chart": volume_chart(data["volume"]["hours"]),
        "table": volume_table(data["volume"]["hours"]),
        "actions": time_to_action(session, site_id=site.id, now=now),
        "model": _model(session, site_id=site.id),
    }


def volume_csv(session: Session, *, actor: User, site_id: str, now: datetime) -> str:
    """The volume figures by hour of the week as CSV."""
    data = sla.figures(session, actor=actor, site_id=site_id, now=now)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "hour", "comments_per_hour", "reports_per_hour", "coverage"])
    for h in data["volume"]["hours"]:
        writer.writerow(
            [
                h["day"],
                f"{h['hour']:02d}:00",
                f"{h['comments']:.2f}",
                f"{h['reports']:.2f}",
                h["coverage"],
            ]
        )
    return out.getvalue()


def volume_table(hours: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The volume figures as 24 rows (hours) of 7 cells (days), for the accessible table."""
    rows = []
    for hour in range(24):
        cells = [hours[day * 24 + hour] for day in range(7)]
        rows.append({"hour": hour, "cells": cells})
    return rows


# --- the chart: an inline SVG drawn here, so it needs no script and no image route --------

CHART_W = 1180
LEFT = 44
PANEL_H = 92
GAP = 22
TOP = 8


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above the value (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0):
        if value <= step * power:
            return step * power
    return 10.0 * power


def volume_chart(hours: list[dict[str, Any]]) -> dict[str, Any]:
    """Bar geometry for comments and reports per hour over the week's coverage bands."""
    slot = (CHART_W - LEFT) / len(hours)
    bands = []
    start = 0
    for i in range(1, len(hours) + 1):
        if i == len(hours) or hours[i]["coverage"] != hours[start]["coverage"]:
            bands.append(
                {
                    "x": round(LEFT + start * slot, 2),
                    "w": round((i - start) * slot, 2),
                    "coverage": hours[start]["coverage"],
                }
            )
            start = i
    panels = []
    for index, (key, label) in enumerate((("comments", "Comments"), ("reports", "Reports"))):
        top = TOP + index * (PANEL_H + GAP)
        peak = _nice_ceiling(max(h[key] for h in hours))
        bars = []
        for i, h in enumerate(hours):
            if h[key] <= 0:
                continue
            height = max(1.0, h[key] / peak * PANEL_H)
            bars.append(
                {
                    "x": round(LEFT + i * slot + 0.6, 2),
                    "y": round(top + PANEL_H - height, 2),
                    "w": round(slot - 1.2, 2),
                    "h": round(height, 2),
                    "title": f"{h['day'].capitalize()} {h['hour']:02d}:00 — "
                    f"{h[key]:.1f} {key} per hour, {COVERAGE_LABELS[h['coverage']].lower()}",
                    # The same, in parts, for a page to word in its own language.
                    "day": h["day"],
                    "hour": h["hour"],
                    "value": round(h[key], 1),
                    "coverage": h["coverage"],
                }
            )
        panels.append(
            {
                "key": key,
                "label": label,
                "top": top,
                "bottom": top + PANEL_H,
                "peak": peak,
                "mid": top + PANEL_H / 2,
                "bars": bars,
            }
        )
    days = [
        {
            "x": round(LEFT + d * 24 * slot, 2),
            "mid": round(LEFT + (d * 24 + 12) * slot, 2),
            "name": n,
        }
        for d, n in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
    ]
    height = TOP + 2 * PANEL_H + GAP + 26
    return {
        "width": CHART_W,
        "height": height,
        "left": LEFT,
        "bands": bands,
        "band_top": TOP,
        "band_h": 2 * PANEL_H + GAP,
        "panels": panels,
        "days": days,
        "axis_y": TOP + 2 * PANEL_H + GAP + 16,
        "slot": slot,
    }


# --- the schedule editor's preview ---------------------------------------------------------


def week_grid(schedule: staffing.Schedule, *, now: datetime) -> dict[str, Any]:
    """This local week (Monday to Sunday) as 7 x 24 coverage levels, exceptions included."""
    zone = schedule.zone
    local_now = now.astimezone(zone)
    monday = local_now.date() - timedelta(days=local_now.weekday())
    exceptions = {e.day: e.coverage.value for e in schedule.exceptions}
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        cells = []
        for hour in range(24):
            level = schedule.level_at_local(datetime.combine(day, time(hour, 30))).value
            cells.append(
                {
                    "hour": hour,
                    "coverage": level,
                    "short": COVERAGE_SHORT[level],
                    "label": COVERAGE_LABELS[level],
                    "now": day == local_now.date() and hour == local_now.hour,
                }
            )
        days.append(
            {
                "date": day,
                "cells": cells,
                "exception": exceptions.get(day),
                "today": day == local_now.date(),
            }
        )
    return {"days": days, "timezone": schedule.timezone}
