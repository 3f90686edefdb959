"""Periodic jobs on the outbox: a job's next run is a message it enqueues when it finishes.

One pending message per job kind is kept (scheduled at startup if missing), so the daily
digest and the retention purge run in whichever serving process claims them, once per round,
with the outbox's leases and retries; no cron is needed (the CLI runs the same jobs too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from belowline.clock import Clock
from belowline.outbox import service as outbox
from belowline.outbox.models import OutboxMessage, OutboxStatus
from belowline.outbox.service import Claimed
from belowline.outbox.worker import Handler
from belowline.web.system import release_free_memory

Job = Callable[..., Any]  # job(session, *, now) -> anything


def ensure_scheduled(session: Session, *, kind: str, now: datetime) -> bool:
    """Enqueue the job's next run unless one is already pending; True if one was added."""
    pending = session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.PENDING)
        .limit(1)
    )
    if pending is not None:
        return False
    outbox.enqueue(session, kind=kind, payload={}, now=now)
    return True


def periodic(
    sessions: sessionmaker[Session], *, kind: str, job: Job, every: timedelta, clock: Clock
) -> Handler:
    """An outbox handler that runs `job` and schedules its next run `every` later."""

    def run(_message: Claimed) -> None:
        with sessions() as session:
            now = clock()
            job(session, now=now)
            outbox.enqueue(session, kind=kind, payload={}, now=now, delay=every)
            session.commit()
        # A nightly job reads a site's history (the retraining: every comment); the serving
        # process would otherwise keep that heap, about 12 MB, until it is restarted.
        release_free_memory()

    async def handle(message: Claimed) -> None:
        await anyio.to_thread.run_sync(run, message)

    return handle
