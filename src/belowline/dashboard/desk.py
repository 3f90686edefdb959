"""Plumbing shared by the dashboard's pages: who is signed in, CSRF on writes, page rendering."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.appeals import service as appeals
from belowline.errors import BelowlineError, ErrorCode, Forbidden
from belowline.i18n import catalogs
from belowline.i18n import errors as i18n_errors
from belowline.notices import service as notices
from belowline.queues.models import QueueItem, QueueName, QueueStatus
from belowline.rules import service as rules_service
from belowline.staffing import schedule as staffing
from belowline.stories import service as stories_service
from belowline.web import security
from belowline.web.deps import DbSession, SettingsDep
from belowline.web.templating import is_htmx, templates

QUEUE_TABS: list[tuple[str, str]] = [
    ("reported", "Reported"),
    ("flagged", "Flagged"),
    ("held", "Held"),
    ("decided", "Decided"),
]
COVERAGE_LABELS = {
    "full": "Full-time moderation",
    "part": "Part-time moderation",
    "none": "No moderators on duty",
}
# Each dashboard language in its own name, for the switcher.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch"}
REASON_LABELS = {
    "abusive": "Abusive or harassing",
    "off_topic": "Off-topic",
    "untrue": "Untrue or misleading",
    "spam": "Spam",
    "other": "Something else",
}


def elapsed(seconds: int | float | None) -> str:
    """A compact waiting time: 45s, 12m, 3h 05m, 2d 4h."""
    s = max(int(seconds or 0), 0)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    return f"{s // 86400}d {s % 86400 // 3600}h"


templates.env.filters["elapsed"] = elapsed

# Why an item waits, in moderators' words (the API keeps the machine-readable codes).
HOLD_LABELS = {
    "author_premoderated": "The author is on pre-moderation: each comment waits for review.",
    "story_premoderated": "This story is pre-moderated: each comment waits for review.",
}


def reason_label(value: str | None) -> str:
    """A queue item's reason as a moderator should read it."""
    if not value:
        return ""
    return HOLD_LABELS.get(value, value)


templates.env.filters["reason_label"] = reason_label


def error_text(message: object) -> str:
    """A service's error message, as a flash on a page, in the page's language."""
    return (
        i18n_errors.translate(str(message), code="", locale=catalogs.current()) if message else ""
    )


templates.env.filters["error_text"] = error_text


class LoginRequired(Exception):
    """No valid dashboard session: send the browser to the sign-in page."""


@dataclass(frozen=True)
class Desk:
    """The signed-in moderator and the session's CSRF token, for every dashboard page."""

    user: User
    csrf: str

    @property
    def site_id(self) -> str:
        return self.user.site_id

    @property
    def is_admin(self) -> bool:
        return permissions.can_administer(self.user, self.user.site_id)


def _login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/moderate/login?next=" + quote(target, safe="")


class DashboardRoute(APIRoute):
    """Routes that answer a missing session with a sign-in redirect and errors with HTML."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired:
                url = _login_url(request) if request.method == "GET" else "/moderate/login"
                if is_htmx(request):
                    return Response(status_code=204, headers={"HX-Redirect": url})
                return RedirectResponse(url, status_code=303)
            except BelowlineError as exc:
                if is_htmx(request) or "text/html" not in request.headers.get("accept", ""):
                    raise
                return error_page(request, exc)

        return handler


def read_session(request: Request, settings: SettingsDep) -> security.DashboardSession | None:
    return security.read_session(request, settings.secret_key)


SessionCookie = Annotated[security.DashboardSession | None, Depends(read_session)]


def current_desk(session: DbSession, cookie: SessionCookie) -> Desk:
    """The signed-in staff member; a stale or missing session means signing in again."""
    if cookie is None or cookie.user_id is None:
        raise LoginRequired
    user = session.get(User, cookie.user_id)
    if (
        user is None
        or user.deactivated_at is not None
        or user.site_id != cookie.site_id
        or security.credential_stamp(user.password_hash, user.session_epoch) != cookie.credential
    ):
        raise LoginRequired
    if not user.is_staff:
        raise Forbidden("The dashboard is for moderators and admins.", code=ErrorCode.FORBIDDEN)
    return Desk(user=user, csrf=cookie.csrf)


async def require_csrf(request: Request, cookie: SessionCookie) -> None:
    """Every state-changing dashboard request carries the session's CSRF token."""
    await security.check_csrf(request, cookie)


CurrentDesk = Annotated[Desk, Depends(current_desk)]


def writing_desk(_csrf: Annotated[None, Depends(require_csrf)], desk: CurrentDesk) -> Desk:
    """The signed-in staff member, for a write: the CSRF check runs before anything else."""
    return desk


WritingDesk = Annotated[Desk, Depends(writing_desk)]


def require_admin(desk: Desk) -> None:
    if not desk.is_admin:
        raise Forbidden("Only the site's admins can do that.", code=ErrorCode.FORBIDDEN)


def queue_counts(session: Session, *, site_id: str) -> dict[str, int]:
    """How many items wait in each open queue, for the tabs."""
    rows = session.execute(
        select(QueueItem.queue, func.count(QueueItem.id))
        .where(QueueItem.site_id == site_id, QueueItem.status == QueueStatus.OPEN)
        .group_by(QueueItem.queue)
    ).all()
    counts = {q.value: 0 for q in QueueName}
    counts.update({queue: int(n) for queue, n in rows})
    counts["appeals"] = appeals.open_count(session, site_id=site_id)
    counts["notices"] = notices.open_count(session, site_id=site_id)
    return counts


def coverage_line(session: Session, *, actor: User, now: datetime) -> dict[str, Any] | None:
    """The staffing banner's parts ("Full-time moderation" until 18:00), translated by the page."""
    try:
        view = staffing.coverage_view(session, actor=actor, site_id=actor.site_id, now=now)
    except BelowlineError:
        return None
    if not view.get("banner"):
        return None
    until = datetime.fromisoformat(view["until_local"]) if view.get("until_local") else None
    local_now = now.astimezone(until.tzinfo) if until else now
    return {
        "label": COVERAGE_LABELS.get(view["coverage"], view["banner"]),
        "time": until.strftime("%H:%M") if until else None,
        "day": until if until and until.date() != local_now.date() else None,
    }


def base_context(session: Session, desk: Desk, *, now: datetime, active: str) -> dict[str, Any]:
    """What every dashboard page shows: the signed-in person, site, tab counts, rules."""
    site = stories_service.get_site(session, site_id=desk.site_id)
    rules = rules_service.current_rules(session, site_id=desk.site_id)
    return {
        "desk": desk,
        "site": site,
        "active": active,
        "counts": queue_counts(session, site_id=desk.site_id),
        "tabs": QUEUE_TABS,
        "rules": rules.rules if rules else [],
        "rules_version": rules.version if rules else None,
        "reason_labels": REASON_LABELS,
        "coverage": coverage_line(session, actor=desk.user, now=now),
        "now": now,
    }


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a dashboard template in the staff member's language, strict CSP, no caching."""
    desk = context.get("desk")
    locale = catalogs.dashboard_locale(
        explicit=request.query_params.get("lang"),
        preference=desk.user.locale if isinstance(desk, Desk) else None,
        accept_language=request.headers.get("accept-language"),
    )
    catalogs.activate(locale)  # `_()` in the templates translates into it while rendering
    all_headers = {
        "Content-Security-Policy": security.DASHBOARD_CSP,
        "Cache-Control": "no-store",
        "Content-Language": locale,
        "Vary": "Accept-Language, Cookie",
        **(headers or {}),
    }
    context = {**context, "dashboard_languages": LANGUAGE_NAMES}
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=all_headers
    )


def error_page(request: Request, exc: BelowlineError) -> HTMLResponse:
    """A plain page for a refused full-page request (the API keeps its JSON)."""
    return page(
        request,
        "dashboard/error.html",
        {"code": exc.code, "message": exc.message, "status": exc.status_code},
        status_code=exc.status_code,
    )
