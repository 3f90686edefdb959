"""The database part of a post, shared by the FastAPI route and the pure-ASGI post path, so
both answer a post the same way by construction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments import service as comments_service
from belowline.comments.schemas import CommentIn
from belowline.stories import service as stories_service
from belowline.web.ratelimit import RateLimiter


def post_and_view(
    session: Session,
    *,
    site_id: str,
    story_id: str,
    body: CommentIn,
    user: User,
    now: datetime,
    policy: comments_service.PostPolicy,
    limiter: RateLimiter,
    limit: str,
) -> dict[str, Any]:
    """Post a comment or a reply and return it as its author sees it (the caller commits)."""
    site = stories_service.site_for_post(session, site_id=site_id, story=story_id)
    limiter.hit(limit, "post", str(user.id))
    story = stories_service.find_story(session, site_id=site.id, external_id=story_id)
    if story is None:
        story = stories_service.story_for_embed(
            session,
            site=site,
            external_id=story_id,
            story_token=body.story_token,
            title=body.story_title,
            url=body.story_url,
            now=now,
        )
    comment = comments_service.post_comment(
        session,
        site=site,
        story=story,
        author=user,
        body=body.body,
        parent_id=body.parent_id,
        accept_terms_version=body.accept_terms_version,
        now=now,
        policy=policy,
    )
    return comments_service.view(session, comment, story, viewer=user)
