"""Nightly retraining: the outbox's daily job refits each site that has something new."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from belowline.app import create_app
from belowline.learning import schedule
from belowline.learning.models import TriageModel
from belowline.outbox import service as outbox
from belowline.outbox.models import OutboxMessage
from belowline.settings import Settings
from tests.asyncrun import run_async
from tests.cast import Cast
from tests.learning.test_learning import _seed


def _runs(session: Session) -> list[TriageModel]:
    session.expire_all()
    return list(session.scalars(select(TriageModel).order_by(TriageModel.id)))


def test_the_daily_job_trains_then_skips_a_quiet_site_then_trains_on_new_decisions(
    cast: Cast, session: Session, engine: Engine, settings: Settings
) -> None:
    _seed(session, cast, 160)
    cast.clock.advance(days=10)  # the ordinary ones have stood for a week
    app = create_app(
        settings.model_copy(update={"periodic_jobs": True}), clock=cast.clock, engine=engine
    )
    worker = app.state.outbox_worker
    assert schedule.RETRAIN_JOB in worker.handlers
    outbox.enqueue(session, kind=schedule.RETRAIN_JOB, payload={}, now=cast.clock())
    session.commit()

    assert run_async(worker.run_once) >= 1
    runs = _runs(session)
    assert {r.site_id for r in runs} == {"gazette", "courier"}  # every site is considered
    gazette = [r for r in runs if r.site_id == "gazette"]
    assert len(gazette) == 1
    assert gazette[0].adopted is True, gazette[0].figures
    nxt = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == schedule.RETRAIN_JOB, OutboxMessage.status == "pending"
        )
    ).one()
    assert nxt.next_attempt_at.replace(tzinfo=None) == (cast.clock() + timedelta(days=1)).replace(
        tzinfo=None
    )

    # The next night, nothing was decided: no new run.
    cast.clock.advance(days=1)
    before = len(_runs(session))
    assert schedule.run_retraining(session, now=cast.clock())["gazette"] == schedule.NOTHING_NEW
    assert len(_runs(session)) == before

    # A moderator's decision since then: the site is retrained against its adopted model.
    _seed(session, cast, 2)
    outcomes = schedule.run_retraining(session, now=cast.clock())
    assert outcomes["gazette"] != schedule.NOTHING_NEW
    latest = [r for r in _runs(session) if r.site_id == "gazette"][-1]
    assert latest.figures["current_model"] == gazette[0].id


def test_a_run_older_than_the_standing_days_is_due_without_decisions(
    cast: Cast, session: Session
) -> None:
    _seed(session, cast, 10)
    schedule.run_retraining(session, now=cast.clock())
    assert not schedule.due(session, site_id="gazette", now=cast.clock() + timedelta(days=1))
    assert schedule.due(session, site_id="gazette", now=cast.clock() + timedelta(days=7))
