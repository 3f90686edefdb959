"""Dashboard sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.accounts.passwords import verify_password
from belowline.accounts.throttle import guarded
from belowline.dashboard.desk import (
    DashboardRoute,
    SessionCookie,
    WritingDesk,
    page,
    require_csrf,
)
from belowline.errors import BelowlineError, ErrorCode, NotAuthenticated
from belowline.web import security
from belowline.web.deps import BusDep, DbSession, SettingsDep, client_ip, commit, rate_limit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only ever return to a dashboard address after signing in."""
    if target and target.startswith("/moderate") and not target.startswith("//"):
        return target
    return "/moderate"


def _login_page(request: Request, cookie: security.DashboardSession, **ctx: Any) -> HTMLResponse:
    # No list of sites: the page must not tell a stranger which publishers this instance serves.
    return page(
        request,
        "dashboard/login.html",
        {"csrf": cookie.csrf, "next": request.query_params.get("next"), **ctx},
        status_code=ctx.pop("status", 200) if "status" in ctx else 200,
    )


@router.get("/login")
def login_form(request: Request, settings: SettingsDep, cookie: SessionCookie) -> HTMLResponse:
    """The sign-in form for moderators and admins."""
    fresh = cookie or security.new_session()
    response = _login_page(request, fresh)
    if cookie is None:
        security.write_session(response, request, settings.secret_key, fresh)
    return response


REFUSED = "That email and password do not match a moderator's account."


def _staff_account(session: Session, *, site_id: str, email: str, password: str) -> User:
    """Check credentials on the given site, or on the one site where this email is staff.

    An unknown email, a wrong password and a deactivated account get one answer after one
    password hash each, so neither the words nor the time tell them apart."""
    if not site_id:
        candidates = session.scalars(
            select(User.site_id).where(
                User.email == email.strip().lower(), User.role.in_(("moderator", "admin"))
            )
        ).all()
        if len(candidates) != 1:
            verify_password(None, password)  # the same work as a real check
            raise NotAuthenticated(REFUSED, code=ErrorCode.INVALID_CREDENTIALS)
        site_id = candidates[0]
    try:
        return accounts_service.authenticate_local(
            session, site_id=site_id, email=email, password=password
        )
    except NotAuthenticated as exc:
        raise NotAuthenticated(REFUSED, code=ErrorCode.INVALID_CREDENTIALS) from exc


@router.post("/login")
async def login(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    cookie: SessionCookie,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    site_id: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/moderate",
) -> Response:
    """Sign a moderator in: a new session (and CSRF token) in a signed cookie."""
    await require_csrf(request, cookie)
    rate_limit(request, settings.rate_limit_login, "dashboard-login", client_ip(request))
    assert cookie is not None  # noqa: S101 - require_csrf refuses a missing session
    try:
        user = guarded(
            request.app.state.login_throttle,
            site_id=site_id.strip(),
            email=email,
            attempt=lambda: _staff_account(
                session, site_id=site_id.strip(), email=email, password=password
            ),
        )
    except BelowlineError as exc:
        return _login_page(
            request,
            cookie,
            error=exc.message,
            email=email,
            site_id=site_id.strip(),
            status=exc.status_code,
        )
    if not user.is_staff:
        return _login_page(
            request,
            cookie,
            error="The dashboard is for moderators and admins.",
            email=email,
            status=403,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    fresh = security.new_session(
        user_id=user.id,
        site_id=user.site_id,
        credential=security.credential_stamp(user.password_hash, user.session_epoch),
    )
    security.write_session(response, request, settings.secret_key, fresh)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, desk: WritingDesk, bus: BusDep) -> Response:
    """Sign out everywhere: the epoch moves on, so no copy of any cookie opens the desk again."""
    desk.user.session_epoch += 1
    commit(session, bus)
    response = RedirectResponse("/moderate/login", status_code=303)
    security.clear_session(response, request)
    return response
