"""Dashboard security: a signed session cookie, CSRF tokens, same-origin checks and a strict CSP.

The dashboard is the only part of Belowline that authenticates with a cookie, so it is the only
part that needs CSRF protection; the API keeps bearer tokens and never reads this cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from belowline.errors import ErrorCode, Forbidden

COOKIE = "belowline_dashboard"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_MAX_AGE = 12 * 3600  # one long shift; signing in again after that is cheap
_SALT = "belowline.dashboard.session"

DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class DashboardSession:
    """What the cookie carries: a CSRF token always, a staff user once signed in."""

    csrf: str
    user_id: int | None = None
    site_id: str | None = None
    credential: str | None = None  # changes when the password does, ending old sessions


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def credential_stamp(password_hash: str | None, epoch: int = 0) -> str:
    """A short fingerprint of the password hash and the session epoch, so a password change
    or a sign-out ends the sessions issued before it, on the server and not just the cookie."""
    return hashlib.sha256(f"{password_hash or ''}\n{epoch}".encode()).hexdigest()[:16]


def new_session(
    *, user_id: int | None = None, site_id: str | None = None, credential: str | None = None
) -> DashboardSession:
    """A fresh session with a fresh CSRF token (rotated at sign-in)."""
    return DashboardSession(
        csrf=secrets.token_urlsafe(32), user_id=user_id, site_id=site_id, credential=credential
    )


def read_session(request: Request, secret: str) -> DashboardSession | None:
    """The request's session, or None if the cookie is missing, forged or expired."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data: dict[str, Any] = _serializer(secret).loads(raw, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    csrf = data.get("csrf")
    if not isinstance(csrf, str) or len(csrf) < 20:
        return None
    uid = data.get("uid")
    return DashboardSession(
        csrf=csrf,
        user_id=uid if isinstance(uid, int) else None,
        site_id=data.get("sid") if isinstance(data.get("sid"), str) else None,
        credential=data.get("cred") if isinstance(data.get("cred"), str) else None,
    )


def write_session(
    response: Response, request: Request, secret: str, session: DashboardSession
) -> None:
    """Set the signed cookie: HttpOnly, SameSite=Lax, Secure over https, dashboard path only."""
    payload = {
        "csrf": session.csrf,
        "uid": session.user_id,
        "sid": session.site_id,
        "cred": session.credential,
    }
    response.set_cookie(
        COOKIE,
        _serializer(secret).dumps(payload),
        max_age=SESSION_MAX_AGE,
        path="/moderate",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE,
        path="/moderate",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def _csrf_failed(message: str) -> Forbidden:
    return Forbidden(message, code=ErrorCode.CSRF_FAILED)


def check_same_origin(request: Request) -> None:
    """Refuse a write whose Origin (or, lacking it, Referer) names another site."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        if origin.rstrip("/") != own:
            raise _csrf_failed("This form was sent from another site; reload the dashboard.")
        return
    referer = request.headers.get("referer")
    if referer is not None and not (referer == own or referer.startswith(own + "/")):
        raise _csrf_failed("This form was sent from another site; reload the dashboard.")


async def check_csrf(request: Request, session: DashboardSession | None) -> None:
    """Require the session's token in the X-CSRF-Token header or the csrf_token form field."""
    check_same_origin(request)
    if session is None:
        raise _csrf_failed("Your dashboard session has expired; reload the page and sign in.")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise _csrf_failed("The security token is missing or stale; reload the page and retry.")
