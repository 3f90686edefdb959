"""Nightly retraining: each site's model is refitted on its moderators' newest decisions.

A site is retrained when a decision was made since its last run, or when that run is older
than the days a comment must stand to count as a negative (new negatives appear without a
decision). A quiet site is skipped, so its history shows runs that had something to learn.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.decisions.models import Decision
from belowline.learning import service
from belowline.learning.models import TriageModel
from belowline.stories.models import Site

RETRAIN_JOB = "job.retrain"
NOTHING_NEW = "skipped: no decision since the last run"


def due(session: Session, *, site_id: str, now: datetime) -> bool:
    """Whether the site has something new to learn from since its last run."""
    last = session.scalar(
        select(func.max(TriageModel.created_at)).where(
            TriageModel.site_id == site_id, TriageModel.kind == service.KIND
        )
    )
    if last is None or now - last >= timedelta(days=service.STANDING_DAYS):
        return True
    newer = session.scalar(
        select(Decision.id).where(Decision.site_id == site_id, Decision.created_at > last).limit(1)
    )
    return newer is not None


def run_retraining(session: Session, *, now: datetime) -> dict[str, str]:
    """Retrain every site that is due; each site's outcome, as recorded on its run."""
    outcomes: dict[str, str] = {}
    for site_id in session.scalars(select(Site.id).order_by(Site.id)).all():
        if not due(session, site_id=site_id, now=now):
            outcomes[site_id] = NOTHING_NEW
            continue
        row = service.train(session, site_id=site_id, now=now)
        outcomes[site_id] = str(row.figures.get("outcome", ""))
    return outcomes
