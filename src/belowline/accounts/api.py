"""Identity routes: SSO exchange, local login, who am I, and whom I muted."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from belowline.accounts import mutes
from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.accounts.schemas import LoginRequest, SSORequest, TokenOut, UserOut
from belowline.accounts.sso_rotation import verify_rotating
from belowline.accounts.throttle import guarded
from belowline.accounts.tokens import issue_access_token
from belowline.comments.views import iso
from belowline.errors import ErrorCode, NotAuthenticated
from belowline.ids import RowId
from belowline.rules import service as rules_service
from belowline.settings import Settings
from belowline.stories.models import Site
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

router = APIRouter(prefix="/api/v1", tags=["identity"])


def user_out(session: Session, user: User, now: datetime) -> UserOut:
    rules = rules_service.current_rules(session, site_id=user.site_id)
    roles = ["commenter"] if user.role == "commenter" else ["commenter", user.role]
    if user.role == "admin":
        roles = ["commenter", "moderator", "admin"]
    return UserOut(
        id=user.id,
        site_id=user.site_id,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        roles=roles,
        subscription=accounts_service.subscription_state(user, now=now),
        subscriber=accounts_service.is_entitled(user, now=now),
        subscription_expires_at=iso(user.subscription_expires_at),
        accepted_terms_version=rules_service.accepted_version(session, user_id=user.id),
        current_terms_version=rules.version if rules else None,
        suspended_until=iso(user.suspended_until),
        banned=user.banned,
        muted_user_ids=mutes.muted_ids(session, user_id=user.id),
        locale=user.locale,
    )


def _token_out(session: Session, user: User, settings: Settings, now: datetime) -> TokenOut:
    token = issue_access_token(
        secret=settings.secret_key,
        user_id=user.id,
        site_id=user.site_id,
        now=now,
        ttl=settings.access_token_ttl_seconds,
    )
    return TokenOut(
        access_token=token,
        expires_in=settings.access_token_ttl_seconds,
        user=user_out(session, user, now),
    )


def _site_or_invalid(session: Session, site_id: str, code: ErrorCode) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotAuthenticated("The sign-in was not accepted.", code=code)
    return site


@router.post("/auth/sso")
def sso_exchange(
    body: SSORequest,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> TokenOut:
    """Exchange a publisher's signed token for a Belowline access token."""
    rate_limit(request, settings.rate_limit_login, "sso", client_ip(request))
    site = _site_or_invalid(session, body.site_id, ErrorCode.INVALID_TOKEN)
    identity = verify_rotating(
        site,
        body.token,
        now=now,
        leeway=settings.sso_leeway_seconds,
        jwks=request.app.state.jwks,
    )
    user = accounts_service.upsert_sso_user(session, site_id=site.id, identity=identity, now=now)
    out = _token_out(session, user, settings, now)
    commit(session, bus)
    return out


@router.post("/auth/login")
def login(
    body: LoginRequest,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> TokenOut:
    """Sign in with a local account (sites without single sign-on, staff, the demo)."""
    rate_limit(request, settings.rate_limit_login, "login", client_ip(request))
    # An unknown site has no accounts: the same answer, and the same work, as a wrong password.
    user = guarded(
        request.app.state.login_throttle,
        site_id=body.site_id,
        email=body.email,
        attempt=lambda: accounts_service.authenticate_local(
            session, site_id=body.site_id, email=body.email, password=body.password
        ),
    )
    user.last_seen_at = now
    out = _token_out(session, user, settings, now)
    commit(session, bus)
    return out


@router.get("/me")
def me(user: CurrentUser, session: DbSession, now: Now) -> UserOut:
    """The signed-in user, their roles, subscription state and accepted rules version."""
    return user_out(session, user, now)


@router.put("/me/mutes/{user_id}")
def mute_reader(
    user_id: RowId,
    user: CurrentUser,
    session: DbSession,
    now: Now,
    bus: BusDep,
) -> dict[str, list[int]]:
    """Mute another reader of the site: their comments collapse for you, on every device."""
    out = mutes.mute(session, reader=user, target_id=user_id, now=now)
    commit(session, bus)
    return {"muted_user_ids": out}


@router.delete("/me/mutes/{user_id}")
def unmute_reader(
    user_id: RowId,
    user: CurrentUser,
    session: DbSession,
    bus: BusDep,
) -> dict[str, list[int]]:
    """Unmute a reader (idempotent)."""
    out = mutes.unmute(session, reader=user, target_id=user_id)
    commit(session, bus)
    return {"muted_user_ids": out}
