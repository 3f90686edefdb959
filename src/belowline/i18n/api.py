"""The site's default locale (publisher or admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from belowline.i18n import service
from belowline.i18n.catalogs import SUPPORTED
from belowline.stories import service as stories_service
from belowline.stories.api import require_publisher
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/api/v1", tags=["i18n"])


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
