"""The invitee's page: a one-time link where a new moderator or admin sets a password."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from belowline.dashboard.desk import DashboardRoute, SessionCookie, page, require_csrf
from belowline.errors import BelowlineError
from belowline.people import invitations
from belowline.stories.models import Site
from belowline.web import security
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, client_ip, commit, rate_limit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


@router.get("/invite/{token}")
def invite_form(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    cookie: SessionCookie,
    now: Now,
) -> HTMLResponse:
    """The set-a-password form, if the link is still good."""
    fresh = cookie or security.new_session()
    ctx: dict[str, object] = {"csrf": fresh.csrf, "token": token, "site_name": "Belowline"}
    status = 200
    try:
        invitation = invitations.pending(session, token=token, now=now)
        site = session.get(Site, invitation.site_id)
        ctx.update(invitation=invitation, site_name=site.name if site else invitation.site_id)
    except BelowlineError as exc:
        ctx["error"] = exc.message
        status = exc.status_code
    response = page(request, "dashboard/invite.html", ctx, status_code=status)
    if cookie is None:
        security.write_session(response, request, settings.secret_key, fresh)
    return response


@router.post("/invite/{token}")
async def accept(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    cookie: SessionCookie,
    now: Now,
    bus: BusDep,
    password: Annotated[str, Form(max_length=1000)],
    display_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Set the password; the link is spent and the new account signs in as usual."""
    await require_csrf(request, cookie)
    rate_limit(request, settings.rate_limit_login, "invite", client_ip(request))
    try:
        user = invitations.accept(
            session, token=token, password=password, display_name=display_name, now=now
        )
    except BelowlineError as exc:
        session.rollback()
        ctx: dict[str, object] = {
            "csrf": cookie.csrf if cookie else "",
            "token": token,
            "site_name": "Belowline",
            "error": exc.message,
        }
        with contextlib.suppress(BelowlineError):
            ctx["invitation"] = invitations.pending(session, token=token, now=now)
        return page(request, "dashboard/invite.html", ctx, status_code=exc.status_code)
    site_id = user.site_id
    commit(session, bus)
    return RedirectResponse(f"/moderate/login?site={site_id}&invited=1", status_code=303)
