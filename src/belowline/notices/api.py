"""Notice routes: the public form (no sign-in), the moderators' queue and decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from belowline.comments.views import iso
from belowline.ids import RowId
from belowline.notices import defamation, formtoken, poster
from belowline.notices import service as notices
from belowline.notices.schemas import NoticeDecisionIn, NoticeIn, PosterReplyIn, RouteIn
from belowline.notices.views import notice_view, public_view
from belowline.stories import service as stories_service
from belowline.web.deps import (
    BusDep,
    CurrentUser,
    DbSession,
    Now,
    SettingsDep,
    client_ip,
    commit,
    rate_limit,
)
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["notices"])


@router.get("/sites/{site_id}/notices/form")
def notice_form(
    site_id: str, session: DbSession, settings: SettingsDep, now: Now
) -> dict[str, Any]:
    """A signed, timed token for the notice form, and the reasons it offers."""
    stories_service.get_site(session, site_id=site_id)
    return {
        "form_token": formtoken.issue(secret=settings.secret_key, site_id=site_id, now=now),
        "min_seconds": int(formtoken.MIN_AGE.total_seconds()),
        "expires_in": int(formtoken.MAX_AGE.total_seconds()),
        "reasons": ["illegal", "defamation", "privacy", "copyright", "other"],
        "honeypot": "website",
    }


@router.post("/sites/{site_id}/notices", status_code=201)
def file_notice(
    site_id: str,
    body: NoticeIn,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Anyone, signed in or not, tells the newsroom about a comment (DSA Art. 16)."""
    ip = client_ip(request)
    rate_limit(request, "5/minute", "notice-ip", ip)
    rate_limit(request, "30/day", "notice-ip-day", ip)
    if body.email:
        rate_limit(request, "10/day", "notice-email", body.email.strip().lower()[:320])
    formtoken.check_honeypot(body.website)

    def guard() -> None:
        formtoken.check(body.form_token, secret=settings.secret_key, site_id=site_id, now=now)

    notice = notices.file_notice(session, site_id=site_id, data=body, now=now, guard=guard)
    out = public_view(notice)
    commit(session, bus)
    return out


@router.get("/moderation/queues/notices")
def notices_queue(
    session: DbSession,
    user: StaffUser,
    now: Now,
    site_id: str | None = Query(default=None, max_length=64),
    status: str = Query(default="open", pattern="^(open|decided)$"),
    limit: int = Query(default=50, ge=1, le=200),
) -> dict[str, Any]:
    """The Notices queue: open notices, oldest first, each with its SLA clock."""
    site = site_id or user.site_id
    rows = notices.list_notices(session, actor=user, site_id=site, status=status, limit=limit)
    return {
        "queue": "notices",
        "site_id": site,
        "at": iso(now),
        "items": [notice_view(session, n, now=now) for n in rows],
    }


@router.post("/moderation/notices/{notice_id}/decision")
def decide_notice(
    notice_id: RowId,
    body: NoticeDecisionIn,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Act on the comment (through the ordinary decision) or take no action, with a reason."""
    notice = notices.decide_notice(session, actor=user, notice_id=notice_id, data=body, now=now)
    commit(session, bus)
    return notice_view(session, notice, now=now)


@router.post("/moderation/notices/{notice_id}/route")
def choose_route(
    notice_id: RowId, body: RouteIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """For a UK notice of complaint: contact the poster, or remove on notice."""
    notice = defamation.choose_route(
        session, actor=user, notice_id=notice_id, route=body.route, now=now
    )
    commit(session, bus)
    return notice_view(session, notice, now=now)


@router.post("/moderation/notices/{notice_id}/disclose")
def disclose(
    notice_id: RowId, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Send the complainant the poster's name and address (only with the poster's consent)."""
    notice = defamation.disclose(session, actor=user, notice_id=notice_id, now=now)
    commit(session, bus)
    return notice_view(session, notice, now=now)


@router.get("/me/notices")
def my_notices(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Notices of complaint about the reader's comments that await their answer."""
    return {"items": poster.awaiting(session, poster=user)}


@router.post("/me/notices/{notice_id}/reply")
def poster_reply(
    notice_id: RowId,
    body: PosterReplyIn,
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """The poster of a complained-of comment answers the notice of complaint."""
    notice = defamation.poster_reply(session, poster=user, notice_id=notice_id, data=body, now=now)
    out = {
        "id": notice.id,
        "reply": notice.poster_reply,
        "replied_at": iso(notice.poster_replied_at),
    }
    commit(session, bus)
    return out
