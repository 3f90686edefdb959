"""Site settings routes (admins): read, change validated whole, preview triage changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from belowline.sites import preview as previews
from belowline.sites import service
from belowline.sites.schemas import SitePatch, TriagePatch, changes_of
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit

router = APIRouter(prefix="/api/v1", tags=["site administration"])


@router.get("/sites/{site_id}")
def show_site(site_id: str, user: CurrentUser, session: DbSession, now: Now) -> dict[str, Any]:
    """The site's settings; secrets only as "set" or "not set"."""
    site = service.administered_site(session, actor=user, site_id=site_id)
    return service.settings_view(site, now=now)


@router.patch("/sites/{site_id}")
def update_site(
    site_id: str, body: SitePatch, user: CurrentUser, session: DbSession, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Change settings; one invalid field refuses the whole change (422 naming it)."""
    site = service.administered_site(session, actor=user, site_id=site_id)
    changed = service.update_site(session, site=site, actor=user, changes=changes_of(body), now=now)
    out = service.settings_view(site, now=now)
    commit(session, bus)
    return {**out, "changed": changed}


@router.post("/sites/{site_id}/triage/preview")
def preview_triage(
    site_id: str, body: TriagePatch, user: CurrentUser, session: DbSession, now: Now
) -> dict[str, Any]:
    """What these triage settings would have flagged and held over the last 7 days."""
    site = service.administered_site(session, actor=user, site_id=site_id)
    proposed = service.proposed_triage(site, changes_of(body))
    return previews.preview(
        session, site=site, current=service.triage_view(site), proposed=proposed, now=now
    )
