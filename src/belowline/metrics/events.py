"""Counting what happened from the domain events of each committed transaction."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from belowline import events
from belowline.metrics import registry as m


def count(pending: list[events.Event]) -> None:
    for ev in pending:
        if isinstance(ev, events.CommentChanged):
            if ev.kind == "created":
                m.POSTS.labels(site=ev.site_id, status="published" if ev.public else "held").inc()
        elif ev.kind == "reported":
            m.REPORTS.labels(site=ev.site_id).inc()
        elif ev.kind == "decided":
            action = str(ev.payload.get("action", "unknown"))
            m.DECISIONS.labels(site=ev.site_id, action=action).inc()
        elif ev.kind in ("held", "flagged"):
            m.HOLDS.labels(site=ev.site_id, queue=ev.kind).inc()


def install(sessions: sessionmaker[Session]) -> None:
    """Count after each successful commit of the app's sessions (a rollback counts nothing)."""

    def after_commit(session: Session) -> None:
        count(events.unseen(session, "metrics"))

    event.listen(sessions, "after_commit", after_commit)
