"""The transparency report: what was reported, decided, appealed and sanctioned in a period.

Figures only, never people: counts by reason, source, action, rule and kind, the share of
automated decisions, and median / 90th-percentile hours from a queue item's opening to its
decision, per queue and per coverage level at the time it opened.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.appeals.models import Appeal
from belowline.decisions.models import Decision
from belowline.errors import ErrorCode, Forbidden, InvalidInput
from belowline.permissions import can_view_transparency
from belowline.queues.models import QueueItem, QueueStatus
from belowline.reports.models import Report
from belowline.sanctions.models import Sanction
from belowline.staffing.schedule import coverage_at, site_schedule
from belowline.stories.models import Site

MAX_DAYS = 366 * 2


def parse_period(start: str | None, end: str | None) -> tuple[date, date]:
    """`from` and `to` as dates (inclusive); bad, reversed or too long → 422."""
    try:
        first = date.fromisoformat(start or "")
        last = date.fromisoformat(end or "")
    except ValueError as exc:
        raise InvalidInput(
            "Give from and to as YYYY-MM-DD.", code=ErrorCode.VALIDATION_ERROR
        ) from exc
    if last < first:
        raise InvalidInput("`to` is before `from`.", code=ErrorCode.VALIDATION_ERROR)
    if (last - first).days > MAX_DAYS:
        raise InvalidInput("A period is at most two years.", code=ErrorCode.VALIDATION_ERROR)
    return first, last


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time(), tzinfo=UTC),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
    )


def _count_by(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return {str(k): int(n) for k, n in sorted(rows, key=lambda r: str(r[0]))}


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 2)


def _times(hours: list[float]) -> dict[str, Any]:
    return {
        "count": len(hours),
        "median_hours": _percentile(hours, 0.5),
        "p90_hours": _percentile(hours, 0.9),
    }


def _notices(session: Session, site_id: str, lo: datetime, hi: datetime) -> dict[str, Any]:
    """Notices from anyone, by reason, once the notices table exists; zero until then."""
    bind = session.get_bind()
    if not inspect(bind).has_table("notices"):
        return {"total": 0, "by_reason": {}}
    rows = session.execute(
        text(
            "select reason, count(*) from notices where site_id = :s "
            "and received_at >= :lo and received_at < :hi group by reason"
        ),
        {"s": site_id, "lo": lo.replace(tzinfo=None), "hi": hi.replace(tzinfo=None)},
    ).all()
    by_reason = {str(r): int(n) for r, n in rows}
    return {"total": sum(by_reason.values()), "by_reason": by_reason}


def _action_times(session: Session, site: Site, lo: datetime, hi: datetime) -> dict[str, Any]:
    items = session.scalars(
        select(QueueItem).where(
            QueueItem.site_id == site.id,
            QueueItem.status == QueueStatus.DECIDED,
            QueueItem.decided_at >= lo,
            QueueItem.decided_at < hi,
        )
    ).all()
    schedule = site_schedule(site)
    per_queue: dict[str, list[float]] = {}
    per_level: dict[str, list[float]] = {}
    for item in items:
        if item.decided_at is None:
            continue
        started = item.first_reported_at or item.opened_at
        hours = max((item.decided_at - started).total_seconds(), 0.0) / 3600
        per_queue.setdefault(item.queue, []).append(hours)
        level, _ = coverage_at(schedule, started)
        per_level.setdefault(str(level), []).append(hours)
    return {
        "all": _times([h for v in per_queue.values() for h in v]),
        "by_queue": {q: _times(v) for q, v in sorted(per_queue.items())},
        "by_coverage": {c: _times(v) for c, v in sorted(per_level.items())},
    }


def report(
    session: Session, *, actor: User | None, site_id: str, first: date, last: date
) -> dict[str, Any]:
    """The figures for one site and period (admins of the site)."""
    if not can_view_transparency(actor, site_id):
        raise Forbidden("Only the site's admins can read this report.", code=ErrorCode.FORBIDDEN)
    site = session.get(Site, site_id)
    assert site is not None  # noqa: S101 - the actor is an admin of it
    lo, hi = _bounds(first, last)
    in_site = (Report.site_id == site_id, Report.created_at >= lo, Report.created_at < hi)
    reasons = _count_by(session, Report.reason, *in_site)
    notices = _notices(session, site_id, lo, hi)
    d_where = (Decision.site_id == site_id, Decision.created_at >= lo, Decision.created_at < hi)
    by_auto = _count_by(session, Decision.automated, *d_where)
    rules = session.execute(
        select(Decision.rule_key, Decision.rule_title, func.count())
        .where(*d_where)
        .group_by(Decision.rule_key, Decision.rule_title)
    ).all()
    by_rule: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for key, title, n in rules:
        by_rule[key] += int(n)
        titles[key] = title
    a_where = (Appeal.site_id == site_id, Appeal.created_at >= lo, Appeal.created_at < hi)
    s_where = (Sanction.site_id == site_id, Sanction.created_at >= lo, Sanction.created_at < hi)
    return {
        "site_id": site_id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "reports": {
            "total": sum(reasons.values()) + notices["total"],
            "by_reason": reasons,
            "by_source": {"readers": sum(reasons.values()), "notices": notices["total"]},
        },
        "notices": notices,
        "decisions": {
            "total": sum(by_auto.values()),
            "by_action": _count_by(session, Decision.action, *d_where),
            "by_rule": [
                {"rule": k, "title": titles[k], "count": n} for k, n in by_rule.most_common()
            ],
            "automated": by_auto.get("True", 0) + by_auto.get("1", 0),
            "human": by_auto.get("False", 0) + by_auto.get("0", 0),
        },
        "time_to_action": _action_times(session, site, lo, hi),
        "appeals": {
            "total": sum(_count_by(session, Appeal.status, *a_where).values()),
            "by_outcome": _count_by(session, Appeal.status, *a_where),
        },
        "sanctions": {"by_kind": _count_by(session, Sanction.kind, *s_where)},
    }


def to_csv(figures: dict[str, Any]) -> str:
    """One row per figure: section, breakdown, key, value (a spreadsheet reads it as is)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "breakdown", "key", "value"])
    for section in ("reports", "notices", "decisions", "appeals", "sanctions"):
        for name, value in figures[section].items():
            if isinstance(value, dict):
                for k, v in value.items():
                    w.writerow([section, name, k, v])
            elif isinstance(value, list):
                for row in value:
                    w.writerow([section, name, row["rule"], row["count"]])
            else:
                w.writerow([section, name, "", value])
    tta = figures["time_to_action"]
    for group in ("by_queue", "by_coverage"):
        for key, t in tta[group].items():
            for stat in ("count", "median_hours", "p90_hours"):
                w.writerow(["time_to_action", f"{group}.{stat}", key, t[stat]])
    return out.getvalue()
