"""Domain events → webhook deliveries, written into the outbox in the event's own transaction.

A `before_commit` listener on the app's session factory reads the events recorded in the
transaction, looks up the site's subscriptions (one indexed query, then cached in this process
for a few seconds — a webhook added in another worker starts receiving within `ttl`) and adds
one outbox row per subscribed webhook. Posting pays for a dictionary lookup when the site has
no webhooks; delivery happens later, in the outbox worker.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from belowline import events
from belowline.clock import Clock
from belowline.comments.views import iso
from belowline.outbox import service as outbox
from belowline.webhooks.models import Webhook
from belowline.webhooks.service import CHANGED_KEY

KIND = "webhook"


def event_name(ev: events.Event) -> str | None:
    """The public webhook event for a domain event, if it has one."""
    if isinstance(ev, events.CommentChanged):
        return "comment.created" if ev.kind == "created" else None
    return {
        "reported": "report.created",
        "decided": "comment.decided",
        "sanctioned": "user.sanctioned",
        "notice": "notice.created",
        "notice.created": "notice.created",
    }.get(ev.kind)


def event_data(ev: events.Event) -> dict[str, Any]:
    """What a receiver learns: public fields only (a held comment's text stays inside)."""
    if isinstance(ev, events.CommentChanged):
        if ev.public:
            return {"comment": ev.payload}
        return {
            "comment": {"id": ev.comment_id, "story_id": ev.story_external_id, "status": "held"}
        }
    data = {k: v for k, v in ev.payload.items() if k not in ("item_ids", "item_id", "queue")}
    if ev.comment_id is not None:
        data["comment_id"] = ev.comment_id
    return data


class WebhookDispatcher:
    """Turns a transaction's events into outbox rows for the site's subscribed webhooks."""

    def __init__(self, clock: Clock, ttl: float = 5.0) -> None:
        self.clock = clock
        self.ttl = ttl
        self._cache: dict[str, tuple[float, list[tuple[int, frozenset[str]]]]] = {}

    def install(self, sessions: sessionmaker[Session]) -> None:
        event.listen(sessions, "before_commit", self.before_commit)
        event.listen(sessions, "after_commit", self.after_commit)

    def subscriptions(self, session: Session, site_id: str) -> list[tuple[int, frozenset[str]]]:
        cached = self._cache.get(site_id)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        rows = session.execute(
            select(Webhook.id, Webhook.events).where(
                Webhook.site_id == site_id, Webhook.active.is_(True)
            )
        ).all()
        hooks = [(int(i), frozenset(names or [])) for i, names in rows]
        self._cache[site_id] = (now, hooks)
        return hooks

    def before_commit(self, session: Session) -> None:
        for ev in events.unseen(session, KIND):
            name = event_name(ev)
            if name is None:
                continue
            hooks = [h for h, names in self.subscriptions(session, ev.site_id) if name in names]
            if not hooks:
                continue
            now = self.clock()
            data = event_data(ev)
            for hook_id in hooks:
                outbox.enqueue(
                    session,
                    kind=KIND,
                    site_id=ev.site_id,
                    payload={
                        "webhook_id": hook_id,
                        "event": name,
                        "id": uuid.uuid4().hex,
                        "created_at": iso(now),
                        "data": data,
                    },
                    now=now,
                )

    def after_commit(self, session: Session) -> None:
        for site_id in session.info.pop(CHANGED_KEY, set()):
            self._cache.pop(site_id, None)
