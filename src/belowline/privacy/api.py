"""Personal data: `GET /api/v1/me/export`, `DELETE /api/v1/me`, and admins' data requests."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from belowline.errors import ErrorCode, Forbidden
from belowline.ids import RowId
from belowline.permissions import can_handle_data_requests
from belowline.privacy import service
from belowline.privacy import settings as privacy_settings
from belowline.privacy.export import export_person
from belowline.privacy.schemas import DataRequest, EraseMe
from belowline.stories import service as stories_service
from belowline.web.deps import (
    BusDep,
    CurrentUser,
    DbSession,
    Now,
    SettingsDep,
    commit,
    rate_limit,
)

router = APIRouter(tags=["privacy"])
NO_STORE = {"cache-control": "no-store"}


@router.get("/api/v1/me/export")
def export_me(
    request: Request,
    response: Response,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Everything held about the signed-in reader (rate-limited: it is a heavy read)."""
    rate_limit(request, settings.rate_limit_exports, "export", str(user.id))
    response.headers.update(NO_STORE)
    return export_person(session, user=user)


@router.delete("/api/v1/me")
def erase_me(
    body: EraseMe,  # noqa: ARG001 - the confirmation is checked by its schema
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Erase the signed-in reader's personal data; their session ends with it."""
    out = service.erase(session, actor=user, person=user, now=now)
    commit(session, bus)
    return out


@router.get("/api/v1/sites/{site_id}/privacy/export")
def admin_export(
    site_id: str,
    session: DbSession,
    actor: CurrentUser,
    now: Now,
    bus: BusDep,
    user_id: RowId | None = Query(default=None, ge=1),
    email: str | None = Query(default=None, min_length=3, max_length=320),
) -> dict[str, Any]:
    """An admin exports a person's data for a request made by email (audited)."""
    person = service.find_person(
        session, actor=actor, site_id=site_id, user_id=user_id, email=email
    )
    out = service.export_for_admin(session, actor=actor, person=person, now=now)
    commit(session, bus)
    return out


@router.post("/api/v1/sites/{site_id}/privacy/erase")
def admin_erase(
    site_id: str, body: DataRequest, session: DbSession, actor: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """An admin erases a person's data for a request made by email (audited)."""
    person = service.find_person(
        session, actor=actor, site_id=site_id, user_id=body.user_id, email=body.email
    )
    out = service.erase(session, actor=actor, person=person, now=now)
    commit(session, bus)
    return out


def _require_admin(actor: CurrentUser, site_id: str) -> None:
    if not can_handle_data_requests(actor, site_id):
        raise Forbidden("Only the site's admins can do that.", code=ErrorCode.FORBIDDEN)


@router.get("/api/v1/sites/{site_id}/privacy/settings")
def get_settings(site_id: str, session: DbSession, actor: CurrentUser) -> dict[str, Any]:
    """What erasure does to comments, and how long email records are kept."""
    _require_admin(actor, site_id)
    site = stories_service.get_site(session, site_id=site_id)
    return privacy_settings.get(site).model_dump()


@router.put("/api/v1/sites/{site_id}/privacy/settings")
def put_settings(
    site_id: str,
    body: privacy_settings.PrivacySettingsIn,
    session: DbSession,
    actor: CurrentUser,
    bus: BusDep,
) -> dict[str, Any]:
    """Change the site's privacy settings (admins)."""
    _require_admin(actor, site_id)
    site = stories_service.get_site(session, site_id=site_id)
    out = privacy_settings.update(session, site=site, change=body).model_dump()
    commit(session, bus)
    return out
