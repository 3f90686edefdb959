"""Comment routes: read threads, post, edit, delete, react; a permalink's path; preview."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from belowline.comments import reactions as comment_reactions
from belowline.comments import service as comments_service
from belowline.comments import threads
from belowline.comments.cache import PageCache, etag_for, page_key
from belowline.comments.context import comment_context
from belowline.comments.cursors import Sort
from belowline.comments.posting import flow
from belowline.comments.rendering import render_markdown
from belowline.comments.schemas import CommentEdit, CommentIn, PreviewIn
from belowline.ids import RowId
from belowline.stories import service as stories_service
from belowline.web.deps import (
    BusDep,
    CurrentUser,
    DbSession,
    Now,
    OptionalUser,
    SettingsDep,
    commit,
    rate_limit,
)

router = APIRouter(prefix="/api/v1", tags=["comments"])
_PUBLIC = "public, max-age=0, must-revalidate"  # a public page: revalidate by its ETag


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(data), status_code=status, media_type="application/json", headers=headers
    )


@router.get("/sites/{site_id}/stories/{story_id}/comments")
def list_comments(
    site_id: str,
    story_id: str,
    request: Request,
    session: DbSession,
    viewer: OptionalUser,
    sort: Sort = Sort.NEWEST,
    limit: int = Query(default=20, ge=1, le=100),
    cursor: str | None = Query(default=None, max_length=500),
) -> Response:
    """A page of a story's thread, newest first by default, with nested first replies."""
    story = stories_service.find_story_ref(session, site_id=site_id, external_id=story_id)
    if story is None:
        stories_service.get_site(session, site_id=site_id)  # site_not_found comes first
        story = stories_service.ref_of(
            stories_service.get_story(session, site_id=site_id, external_id=story_id)
        )
    cache: PageCache = request.app.state.page_cache
    key = page_key(story.id, story.version, sort, limit, cursor)
    etag = etag_for(key)
    body = cache.get(key)
    if body is None:
        page = threads.thread_page(session, story=story, sort=sort, limit=limit, cursor=cursor)
        body = orjson.dumps(page)
        cache.set(key, body)
    if viewer is None:
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": _PUBLIC})
        return Response(
            body,
            media_type="application/json",
            headers={"ETag": etag, "Cache-Control": _PUBLIC},
        )
    page = orjson.loads(body)
    ids = _ids(page["items"])
    page["viewer"] = comments_service.personal_overlay(
        session,
        story=stories_service.get_story(session, site_id=site_id, external_id=story_id),
        viewer=viewer,
        comment_ids=ids,
    )
    return _json(page, headers={"Cache-Control": "private, no-store"})


def _ids(items: list[dict[str, Any]]) -> list[int]:
    out: list[int] = []
    for item in items:
        out.append(item["id"])
        out.extend(_ids(item.get("replies", [])))
    return out


@router.get("/comments/{comment_id}/replies")
def list_replies(
    comment_id: RowId,
    session: DbSession,
    viewer: OptionalUser,
    limit: int = Query(default=20, ge=1, le=100),
    cursor: str | None = Query(default=None, max_length=500),
) -> Response:
    """More replies to one comment ("load more replies")."""
    parent, story = comments_service.get_visible_comment(
        session, comment_id=comment_id, viewer=viewer
    )
    return _json(
        threads.replies_page(session, parent=parent, story=story, limit=limit, cursor=cursor)
    )


@router.post("/sites/{site_id}/stories/{story_id}/comments", status_code=201)
def post_comment(
    site_id: str,
    story_id: str,
    body: CommentIn,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> Response:
    """Post a comment or a reply (subscribers; the rules accepted). The pure-ASGI post path
    (posting/fastpath.py) answers the common case before this route; what it hands on and
    every app without it come here, through the same steps."""
    out = flow.post_and_view(
        session,
        site_id=site_id,
        story_id=story_id,
        body=body,
        user=user,
        now=now,
        policy=request.app.state.post_policy,
        limiter=request.app.state.rate_limiter,
        limit=settings.rate_limit_posts,
    )
    commit(session, bus)
    return _json(out, status=201)


@router.get("/comments/{comment_id}")
def get_comment(comment_id: RowId, session: DbSession, viewer: OptionalUser) -> Response:
    """One comment."""
    comment, story = comments_service.get_visible_comment(
        session, comment_id=comment_id, viewer=viewer
    )
    return _json(comments_service.view(session, comment, story, viewer=viewer))


@router.get("/comments/{comment_id}/context")
def get_context(comment_id: RowId, session: DbSession, viewer: OptionalUser) -> Response:
    """A comment and its ancestors, root first: what a `#comment-ID` link needs to open."""
    out = comment_context(session, comment_id=comment_id, viewer=viewer)
    return _json(out, headers={"Cache-Control": "private, no-store"})


@router.post("/preview")
def preview(
    body: PreviewIn, request: Request, session: DbSession, user: CurrentUser
) -> JSONResponse:
    """The composer's preview: the same cleaning, limits and sanitiser as a posted comment."""
    rate_limit(request, "30/minute", "preview", str(user.id))
    site = stories_service.get_site(session, site_id=user.site_id)
    text = comments_service.validate_body(site, body.body)
    return JSONResponse({"body_html": render_markdown(text)})


@router.patch("/comments/{comment_id}")
def edit_comment(
    comment_id: RowId,
    body: CommentEdit,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
) -> Response:
    """Edit one's own comment within the site's edit window."""
    site = stories_service.get_site(session, site_id=user.site_id)
    comment = comments_service.edit_comment(
        session,
        comment_id=comment_id,
        actor=user,
        body=body.body,
        site=site,
        now=now,
        policy=getattr(request.app.state, "edit_policy", None),
    )
    _, story = comments_service.get_comment(session, comment_id=comment.id)
    out = comments_service.view(session, comment, story, viewer=user)
    commit(session, bus)
    return _json(out)


@router.delete("/comments/{comment_id}")
def delete_comment(
    comment_id: RowId, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> Response:
    """Delete one's own comment; replies stay in place under a tombstone."""
    comment = comments_service.delete_own_comment(
        session, comment_id=comment_id, actor=user, now=now
    )
    _, story = comments_service.get_comment(session, comment_id=comment.id)
    out = comments_service.view(session, comment, story, viewer=user)
    commit(session, bus)
    return _json(out)


@router.post("/comments/{comment_id}/reactions")
def react(
    comment_id: RowId,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
) -> JSONResponse:
    """Toggle the reader's reaction ("recommend") on a comment."""
    rate_limit(request, "60/minute", "react", str(user.id))
    comment, reacted = comment_reactions.toggle_reaction(
        session, comment_id=comment_id, actor=user, now=now
    )
    out = {"id": comment.id, "reacted": reacted, "reaction_count": comment.reaction_count}
    commit(session, bus)
    return JSONResponse(out)
