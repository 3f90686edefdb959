"""Webhook subscriptions (admins) and their delivery log; events become outbox rows in dispatch."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.errors import ErrorCode, InvalidInput, NotFound
from belowline.permissions import require
from belowline.stories import service as stories_service
from belowline.webhooks import urls
from belowline.webhooks.models import Webhook, WebhookDelivery

EVENTS = (
    "comment.created",
    "comment.decided",
    "report.created",
    "notice.created",
    "user.sanctioned",
)
MAX_HOOKS_PER_SITE = 20
LOG_KEEP = 50
CHANGED_KEY = "belowline_webhooks_changed"


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    events: list[str]
    secret: str | None = None


def _check_events(names: list[str]) -> list[str]:
    if not names:
        raise InvalidInput(
            "Name at least one event.", code=ErrorCode.VALIDATION_ERROR, field="events"
        )
    unknown = [n for n in names if n not in EVENTS]
    if unknown:
        raise InvalidInput(
            f"Unknown event {unknown[0]!r}; events are: {', '.join(EVENTS)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="events",
        )
    return sorted(set(names))


def _check_secret(secret: str | None) -> str:
    if secret is None:
        return secrets.token_hex(24)
    if not 16 <= len(secret) <= 200 or not secret.isprintable():
        raise InvalidInput(
            "The secret must be 16 to 200 printable characters.",
            code=ErrorCode.VALIDATION_ERROR,
            field="secret",
        )
    return secret


def _changed(session: Session, site_id: str) -> None:
    """Tell this process's dispatcher to reload the site's subscriptions after commit."""
    session.info.setdefault(CHANGED_KEY, set()).add(site_id)


def create(
    session: Session,
    *,
    actor: User,
    site_id: str,
    request: WebhookRequest,
    allow_private: bool,
    now: datetime,
) -> Webhook:
    """Subscribe a URL to some of the site's events; the whole request is checked first."""
    require(permissions.can_administer, actor, site_id)
    stories_service.get_site(session, site_id=site_id)
    names = _check_events(request.events)
    secret = _check_secret(request.secret)
    urls.check_registration(request.url, allow_private=allow_private)
    count = len(list_for_site(session, site_id=site_id))
    if count >= MAX_HOOKS_PER_SITE:
        raise InvalidInput(
            f"A site may have at most {MAX_HOOKS_PER_SITE} webhooks.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        )
    hook = Webhook(
        site_id=site_id,
        url=request.url.strip(),
        events=names,
        secret=secret,
        active=True,
        created_by=actor.id,
        created_at=now,
    )
    session.add(hook)
    session.flush()
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="webhook.create",
        target_type="webhook",
        target_id=hook.id,
        note=f"{hook.url} ({', '.join(names)})",
        now=now,
    )
    _changed(session, site_id)
    return hook


def list_for_site(session: Session, *, site_id: str) -> list[Webhook]:
    return list(
        session.scalars(
            select(Webhook)
            .where(Webhook.site_id == site_id, Webhook.active.is_(True))
            .order_by(Webhook.id)
        )
    )


def list_visible(session: Session, *, actor: User, site_id: str) -> list[Webhook]:
    """The site's webhooks, for its admins."""
    require(permissions.can_administer, actor, site_id)
    stories_service.get_site(session, site_id=site_id)
    return list_for_site(session, site_id=site_id)


def remove(session: Session, *, actor: User, site_id: str, webhook_id: int, now: datetime) -> None:
    """Unsubscribe: nothing more is sent, pending deliveries are dropped when they come due."""
    require(permissions.can_administer, actor, site_id)
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.site_id != site_id or not hook.active:
        raise NotFound("No such webhook on this site.", code=ErrorCode.NOT_FOUND)
    hook.active = False
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="webhook.delete",
        target_type="webhook",
        target_id=hook.id,
        note=hook.url,
        now=now,
    )
    _changed(session, site_id)


def recent_deliveries(
    session: Session, *, webhook_ids: list[int], limit: int = 10
) -> dict[int, list[WebhookDelivery]]:
    """The latest attempts per webhook, newest first."""
    out: dict[int, list[WebhookDelivery]] = {i: [] for i in webhook_ids}
    for hook_id in webhook_ids:
        out[hook_id] = list(
            session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.webhook_id == hook_id)
                .order_by(WebhookDelivery.id.desc())
                .limit(limit)
            )
        )
    return out


def log_attempt(session: Session, *, webhook_id: int, **fields: Any) -> None:
    """Record one attempt and keep only the latest LOG_KEEP per webhook."""
    session.add(WebhookDelivery(webhook_id=webhook_id, **fields))
    session.flush()
    threshold = session.scalar(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.id.desc())
        .offset(LOG_KEEP)
        .limit(1)
    )
    if threshold is not None:
        session.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.id <= threshold
            )
        )


def target(session: Session, *, webhook_id: int) -> tuple[str, str] | None:
    """The URL and secret of a live webhook, or None once it was deleted."""
    hook = session.get(Webhook, webhook_id)
    if hook is None or not hook.active:
        return None
    return hook.url, hook.secret
