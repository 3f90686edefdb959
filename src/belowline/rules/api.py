"""Rules routes: JSON for the embed and integrations, and the public rules page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from belowline.comments.rendering import render_markdown
from belowline.comments.views import iso
from belowline.i18n import catalogs
from belowline.rules import service as rules_service
from belowline.stories import service as stories_service
from belowline.web.deps import DbSession
from belowline.web.templating import render

router = APIRouter(tags=["rules"])


@router.get("/api/v1/sites/{site_id}/rules")
def get_rules(site_id: str, session: DbSession) -> dict[str, Any]:
    """The site's current community rules, their version and when they were last updated."""
    stories_service.get_site(session, site_id=site_id)
    rules = rules_service.require_rules(session, site_id=site_id)
    return {
        "version": rules.version,
        "updated_at": iso(rules.updated_at),
        "intro": rules.intro_md,
        "rules": [{"id": r.key, "title": r.title, "text": r.text_md} for r in rules.rules],
        "url": f"/sites/{site_id}/rules",
    }


@router.get("/sites/{site_id}/rules", response_class=HTMLResponse)
def rules_page(site_id: str, request: Request, session: DbSession) -> HTMLResponse:
    """The community rules page readers are sent to from the comment form."""
    site = stories_service.get_site(session, site_id=site_id)
    rules = rules_service.require_rules(session, site_id=site_id)
    catalogs.activate(
        catalogs.negotiate(
            explicit=request.query_params.get("lang"),
            accept_language=request.headers.get("accept-language"),
            default=(site.settings or {}).get("locale"),
        )
    )
    return render(
        request,
        "rules/page.html",
        {
            "site": site,
            "version": rules.version,
            "updated_at": rules.updated_at,
            "intro_html": render_markdown(rules.intro_md),
            "rules": [
                {"id": r.key, "title": r.title, "html": render_markdown(r.text_md)}
                for r in rules.rules
            ],
        },
        headers={"Vary": "Accept-Language", "Content-Language": catalogs.current()},
    )
