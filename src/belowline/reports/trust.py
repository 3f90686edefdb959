"""Reporter trust: how much one reader's report counts, and when reports look like a brigade.

A report's weight comes from its reader's record (Laplace-smoothed share of upheld reports,
doubled, within [0.25, 2.0]) scaled down for young accounts (a quarter on day one, full
weight after `FULL_TRUST_DAYS`). A burst of reports on one comment, most of them from
low-trust readers, is a likely brigade: its weight never hides a comment by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.reports.models import Report, ReporterStats, ReportStatus

FULL_TRUST_DAYS = 14
NEW_ACCOUNT_FACTOR = 0.25


def record_weight(upheld: int, dismissed: int) -> float:
    """Weight from a reader's record alone: 1.0 with no record, up to 2.0, down to 0.25."""
    share = (upheld + 1) / (upheld + dismissed + 2)
    return min(2.0, max(0.25, 2 * share))


def age_factor(created_at: datetime, now: datetime) -> float:
    """A quarter for a brand-new account, rising linearly to 1 at `FULL_TRUST_DAYS`."""
    days = max(0.0, (now - created_at).total_seconds() / 86400)
    return min(1.0, NEW_ACCOUNT_FACTOR + (1 - NEW_ACCOUNT_FACTOR) * days / FULL_TRUST_DAYS)


def report_weight(reporter: User, stats: ReporterStats | None, *, now: datetime) -> float:
    """The weight of this reader's next report."""
    upheld = stats.reports_upheld if stats else 0
    dismissed = stats.reports_dismissed if stats else 0
    return round(record_weight(upheld, dismissed) * age_factor(reporter.created_at, now), 3)


@dataclass(frozen=True)
class ReportPressure:
    """The open reports on one comment, weighed, with any brigade discounted."""

    total_weight: float
    trusted_weight: float
    reports: int
    low_trust_burst: int
    brigade: bool

    @property
    def effective_weight(self) -> float:
        """The weight that may hide a comment: a brigade's reports do not count."""
        return self.trusted_weight if self.brigade else self.total_weight

    def to_json(self) -> dict[str, Any]:
        return {
            "total_weight": round(self.total_weight, 3),
            "effective_weight": round(self.effective_weight, 3),
            "reports": self.reports,
            "brigade": self.brigade,
            "low_trust_burst": self.low_trust_burst,
        }


def pressure(
    session: Session, *, comment_id: int, now: datetime, config: dict[str, Any]
) -> ReportPressure:
    """Weigh a comment's open reports; `config` is the site's `brigade` policy section."""
    low = float(config.get("low_trust_weight", 0.6))
    window = timedelta(minutes=float(config.get("window_minutes", 60)))
    minimum = int(config.get("min_reports", 3))
    rows = session.execute(
        select(Report.weight, Report.created_at).where(
            Report.comment_id == comment_id, Report.status == ReportStatus.OPEN
        )
    ).all()
    total = sum(w for w, _ in rows)
    trusted = sum(w for w, _ in rows if w >= low)
    burst = sum(1 for w, at in rows if w < low and now - at <= window)
    recent = sum(1 for _, at in rows if now - at <= window)
    brigade = burst >= minimum and burst * 2 > recent
    return ReportPressure(
        total_weight=total,
        trusted_weight=trusted,
        reports=len(rows),
        low_trust_burst=burst,
        brigade=brigade,
    )
