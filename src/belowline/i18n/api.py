"""The site's default locale (publisher or admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from belowline.accounts.models import User
from belowline.errors import Forbidden
from belowline.i18n import service
from belowline.i18n.catalogs import DASHBOARD_LOCALES, SUPPORTED
from belowline.stories import service as stories_service
from belowline.stories.api import require_publisher
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/api/v1", tags=["i18n"])


class StaffLocaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    locale: str | None = Field(default=None, min_length=2, max_length=16)


class LocaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    locale: str = Field(min_length=2, max_length=16)


@router.get("/sites/{site_id}/locale")
def get_locale(site_id: str, session: DbSession) -> dict[str, Any]:
    """The site's default locale and every locale the widget ships."""
    site = stories_service.get_site(session, site_id=site_id)
    return {"locale": service.site_locale(site), "available": list(SUPPORTED)}


@router.put("/sites/{site_id}/locale")
def put_locale(
    site_id: str,
    body: LocaleIn,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Set the site's default locale (the site's API key or an admin)."""
    site = stories_service.get_site(session, site_id=site_id)
    require_publisher(request, session, settings, now, site)
    locale = service.set_site_locale(session, site=site, locale=body.locale)
    commit(session, bus)
    return {"locale": locale, "available": list(SUPPORTED)}


@router.get("/me/dashboard-locale")
def get_staff_locale(user: CurrentUser) -> dict[str, Any]:
    """The dashboard language a staff member chose (null: their browser's)."""
    _staff_only(user)
    return {"locale": user.locale, "available": list(DASHBOARD_LOCALES)}


@router.put("/me/dashboard-locale")
def put_staff_locale(
    body: StaffLocaleIn, user: CurrentUser, session: DbSession, bus: BusDep
) -> dict[str, Any]:
    """Choose the dashboard's language (en, fr, de), or null for the browser's."""
    _staff_only(user)
    locale = service.set_staff_locale(session, user=user, locale=body.locale)
    commit(session, bus)
    return {"locale": locale, "available": list(DASHBOARD_LOCALES)}


def _staff_only(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only moderators and admins use the dashboard.")
