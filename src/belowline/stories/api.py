"""Story routes: the publisher registers stories; anyone reads counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from belowline.accounts.models import User
from belowline.accounts.tokens import decode_access_token
from belowline.comments.views import iso
from belowline.errors import ErrorCode, Forbidden, InvalidInput, NotAuthenticated
from belowline.permissions import can_administer
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story
from belowline.stories.schemas import StoryIn, StoryOut
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/api/v1", tags=["stories"])


def story_out(story: Story, now: datetime) -> StoryOut:
    return StoryOut(
        id=story.external_id,
        site_id=story.site_id,
        title=story.title,
        url=story.url,
        closed=story.closed,
        open=stories_service.is_open(story, now=now),
        premoderate=story.premoderate,
        auto_close_days=story.auto_close_days,
        comment_count=story.comment_count,
        created_at=iso(story.created_at) or "",
        announcement={"html": story.announcement_html, "updated_at": iso(story.announcement_at)}
        if story.announcement_html
        else None,
    )


def require_publisher(
    request: Request, session: DbSession, settings: SettingsDep, now: Now, site: Site
) -> None:
    """The site's API key (X-Api-Key or Bearer blk_…) or an admin's access token."""
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if not key and scheme.lower() == "bearer" and token.startswith("blk_"):
        key = token
    if key:
        if stories_service.check_api_key(site, key):
            return
        raise NotAuthenticated(
            "That API key is not valid for this site.", code=ErrorCode.INVALID_TOKEN
        )
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("Send the site's API key or an admin's token.")
    claims = decode_access_token(token, secret=settings.secret_key, now=now)
    user = session.get(User, claims.user_id)
    if user is not None and user.deactivated_at is not None:
        raise NotAuthenticated(
            "This account has been deactivated.", code=ErrorCode.ACCOUNT_DEACTIVATED
        )
    if not can_administer(user, site.id):
        raise Forbidden("Only the site's admins may change stories.")


@router.put("/sites/{site_id}/stories/{story_id}")
def put_story(
    site_id: str,
    story_id: str,
    body: StoryIn,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> StoryOut:
    """Create or update a story (the publisher's API key or an admin token)."""
    site = stories_service.get_site(session, site_id=site_id)
    require_publisher(request, session, settings, now, site)
    story = stories_service.upsert_story(
        session,
        site_id=site.id,
        external_id=story_id,
        now=now,
        title=body.title,
        url=body.url,
        text=body.text,
        closed=body.closed,
        premoderate=body.premoderate,
        auto_close_days=body.auto_close_days,
    )
    out = story_out(story, now)
    commit(session, bus)
    return out


@router.get("/sites/{site_id}/public")
def site_public(site_id: str, session: DbSession) -> dict[str, Any]:
    """What the embed needs to know about a site before anyone signs in."""
    site = stories_service.get_site(session, site_id=site_id)
    return {
        "id": site.id,
        "name": site.name,
        "subscribe_url": site.subscribe_url,
        "signin_url": site.signin_url,
        "edit_window_seconds": site.edit_window_seconds,
        "max_comment_length": site.max_comment_length,
        "rules_url": f"/sites/{site.id}/rules",
        "locale": (site.settings or {}).get("locale") or "en",
    }


@router.get("/sites/{site_id}/stories/{story_id}")
def get_story(site_id: str, story_id: str, session: DbSession, now: Now) -> StoryOut:
    """A story's settings and comment count."""
    stories_service.get_site(session, site_id=site_id)
    return story_out(stories_service.get_story(session, site_id=site_id, external_id=story_id), now)


@router.get("/sites/{site_id}/counts")
def counts(
    site_id: str, session: DbSession, response: Response, story: list[str] = Query(default=[])
) -> dict[str, int]:
    """Comment counts for many stories in one call (for article lists)."""
    response.headers["Cache-Control"] = "public, max-age=10"  # as the read fast path says
    if len(story) > 200:
        raise InvalidInput(
            "Ask for at most 200 stories at a time.", code=ErrorCode.VALIDATION_ERROR
        )
    stories_service.get_site(session, site_id=site_id)
    return stories_service.counts(session, site_id=site_id, external_ids=story)
