"""Locales: the site's default (publisher or admin), a staff member's dashboard language and a
reader's own language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.errors import Forbidden
from belowline.i18n import service
from belowline.i18n.catalogs import DASHBOARD_LOCALES, SUPPORTED
from belowline.stories import service as stories_service
from belowline.stories.api import require_publisher
from belowline.stories.models import Site
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/api/v1", tags=["i18n"])


class StaffLocaleIn(BaseModel):
    """A person's own language (the dashboard's or the reader's): a tag, or null."""

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


@router.get("/me/locale", tags=["me"])
def get_reader_locale(user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """The language the signed-in reader chose (null: the site's), and the site's default."""
    return _reader_locale(session, user)


@router.put("/me/locale", tags=["me"])
def put_reader_locale(
    body: StaffLocaleIn, user: CurrentUser, session: DbSession, bus: BusDep
) -> dict[str, Any]:
    """Choose one's own language for the widget, statements and emails; null follows the site."""
    service.set_reader_locale(session, user=user, locale=body.locale)
    out = _reader_locale(session, user)
    commit(session, bus)
    return out


def _reader_locale(session: Session, user: User) -> dict[str, Any]:
    site = session.get(Site, user.site_id)
    return {
        "locale": user.locale,
        "site_locale": service.site_locale(site) if site is not None else None,
        "available": list(SUPPORTED),
    }


def _staff_only(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only moderators and admins use the dashboard.")
