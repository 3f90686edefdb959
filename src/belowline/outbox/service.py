"""The outbox: enqueue inside the caller's transaction; claim, finish or retry from the worker.

A message is written in the same transaction as the change that caused it, so it exists
exactly when the change does. The worker claims due messages by moving their next attempt
a lease ahead with a compare-and-set UPDATE, so two workers (or two processes) never deliver
the same message at once, and a worker that dies mid-delivery only delays it by the lease.
Delivery is at least once: receivers get an id to deduplicate on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from belowline.outbox.models import OutboxMessage, OutboxStatus

LEASE = timedelta(seconds=60)
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 10
ERROR_MAX = 500


class GiveUp(Exception):
    """Raised by a handler when retrying cannot help (a permanent refusal): no more attempts."""


@dataclass(frozen=True)
class Claimed:
    """A message the worker holds for one delivery attempt."""

    id: int
    kind: str
    site_id: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    site_id: str | None = None,
    delay: timedelta | None = None,
) -> OutboxMessage:
    """Add a message to deliver after the caller's transaction commits."""
    message = OutboxMessage(
        kind=kind,
        site_id=site_id,
        payload=payload,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now + (delay or timedelta(0)),
        created_at=now,
    )
    session.add(message)
    return message


def claim_due(
    session: Session, *, now: datetime, kinds: tuple[str, ...], limit: int = 20
) -> list[Claimed]:
    """Claim up to `limit` due messages of these kinds for one attempt each."""
    candidates = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.kind.in_(kinds),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed: list[Claimed] = []
    for message in candidates:
        won = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at == message.next_attempt_at,
            )
            .values(next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(
                Claimed(
                    id=message.id,
                    kind=message.kind,
                    site_id=message.site_id,
                    payload=dict(message.payload or {}),
                    attempts=message.attempts,
                    created_at=message.created_at,
                )
            )
    return claimed


def mark_sent(session: Session, *, message_id: int, now: datetime) -> None:
    """Record a successful delivery."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OutboxStatus.SENT,
            sent_at=now,
            attempts=OutboxMessage.attempts + 1,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: 5 s, 10 s, 20 s … capped at an hour."""
    base = min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)
    jitter = 0.8 + 0.4 * random.random()  # noqa: S311 - jitter, not security
    return timedelta(seconds=base.total_seconds() * jitter)


def mark_failed(
    session: Session, *, message_id: int, error: str, now: datetime, final: bool = False
) -> bool:
    """Record a failed attempt; retry later, or give up (after MAX_ATTEMPTS, or now if final)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return False
    attempts = message.attempts + 1
    retried = attempts < MAX_ATTEMPTS and not final
    message.attempts = attempts
    message.last_error = error[:ERROR_MAX]
    if retried:
        message.next_attempt_at = now + retry_delay(attempts)
    else:
        message.status = OutboxStatus.DEAD
    return retried


def recent(session: Session, *, site_id: str, kind: str, limit: int = 20) -> list[OutboxMessage]:
    """A site's latest messages of one kind, newest first (delivery logs in the dashboard)."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.site_id == site_id, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
