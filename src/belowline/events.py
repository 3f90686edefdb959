"""Domain events: recorded during a transaction, published only after it commits.

`CommentChanged` — a comment appeared, changed or left a thread. Listeners: live (SSE push to
readers of the story), the thread cache (through the story version), notifications.
`ModerationChanged` — a moderation queue changed, or an account was sanctioned. Listeners:
live (dashboard queues). Webhooks (`webhooks/dispatch.py`) read both just before the commit,
so their outbox rows are written in the same transaction.
`NoticeCreated` (`notice.created`) — a notice arrived. Listeners: live (the Notices tab),
webhooks (subscribe by its `kind`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

_KEY = "belowline_pending_events"


@dataclass(frozen=True)
class CommentChanged:
    # created | edited | removed | deleted | restored | reacted | approved | (un)featured
    kind: str
    site_id: str
    story_external_id: str
    comment_id: int
    public: bool  # False while held: only the author and staff may see it
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModerationChanged:
    kind: str  # reported | flagged | held | decided | sanctioned | notice
    site_id: str
    comment_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NoticeCreated:
    """`notice.created`: someone (signed in or not) sent a notice about a comment."""

    site_id: str
    notice_id: int
    comment_id: int
    reason: str
    kind: str = "notice.created"
    payload: dict[str, Any] = field(default_factory=dict)


Event = CommentChanged | ModerationChanged | NoticeCreated


def record(session: Session, event: Event) -> None:
    """Queue an event to go out when the surrounding transaction commits."""
    session.info.setdefault(_KEY, []).append(event)


def unseen(session: Session, consumer: str) -> list[Event]:
    """The events recorded since this consumer last looked (each is seen once per consumer)."""
    pending: list[Event] = session.info.get(_KEY, [])
    marker = f"{_KEY}:{consumer}"
    start = session.info.get(marker, 0)
    session.info[marker] = len(pending)
    return pending[start:]


def _forget(session: Session) -> list[Event]:
    events: list[Event] = session.info.pop(_KEY, [])
    for key in [k for k in session.info if isinstance(k, str) and k.startswith(f"{_KEY}:")]:
        del session.info[key]
    return events


def take_pending(session: Session) -> list[Event]:
    """Remove and return the events recorded in this session."""
    return _forget(session)


def discard_pending(session: Session) -> None:
    _forget(session)
