"""The dashboard's editor tools: stories (open/close, pre-moderation, announcement), thread
view, comment search and featuring."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from belowline.comments.models import Comment
from belowline.comments.staff_views import names
from belowline.dashboard.desk import CurrentDesk, DashboardRoute, WritingDesk, base_context, page
from belowline.editorial import service as editorial
from belowline.ids import RowId
from belowline.stories import service as stories_service
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)
THREAD_LIMIT = 500


def _back(request: Request, fallback: str) -> str:
    """Return to the dashboard page the form was on (never another site)."""
    target = request.headers.get("referer", "")
    base = str(request.base_url).rstrip("/")
    if target.startswith(base + "/moderate"):
        return target[len(base) :]
    return fallback


@router.get("/stories")
def stories_page(request: Request, session: DbSession, desk: CurrentDesk, now: Now) -> HTMLResponse:
    """The site's latest stories: open or close comments, pre-moderate, pin an announcement."""
    ctx = base_context(session, desk, now=now, active="stories")
    ctx.update(
        stories=editorial.stories(session, actor=desk.user, site_id=desk.site_id),
        is_open=lambda s: stories_service.is_open(s, now=now),
    )
    return page(request, "dashboard/stories.html", ctx)


@router.post("/stories/{story_id}/options")
def story_options(
    request: Request,
    story_id: str,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    closed: Annotated[bool | None, Form()] = None,
    premoderate: Annotated[bool | None, Form()] = None,
) -> Response:
    editorial.set_story_options(
        session,
        actor=desk.user,
        site_id=desk.site_id,
        story_id=story_id,
        closed=closed,
        premoderate=premoderate,
        now=now,
    )
    commit(session, bus)
    return RedirectResponse(_back(request, "/moderate/stories"), status_code=303)


@router.post("/stories/{story_id}/announcement")
def story_announcement(
    request: Request,
    story_id: str,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    editorial.set_announcement(
        session, actor=desk.user, site_id=desk.site_id, story_id=story_id, text=text, now=now
    )
    commit(session, bus)
    return RedirectResponse(_back(request, "/moderate/stories"), status_code=303)


@router.get("/stories/{story_id}/thread")
def thread_page(
    request: Request,
    story_id: str,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    comment: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    """A story's whole thread as staff see it, the comment from the queue highlighted."""
    story, rows = editorial.thread(
        session, actor=desk.user, site_id=desk.site_id, story_id=story_id, limit=THREAD_LIMIT
    )
    ordered = _threaded(rows)
    ctx = base_context(session, desk, now=now, active="stories")
    ctx.update(
        story=story,
        comments=ordered,
        authors=names(session, {c.author_id for c in rows}),
        highlight=comment,
        truncated=len(rows) == THREAD_LIMIT,
    )
    return page(request, "dashboard/thread.html", ctx)


def _threaded(rows: list[Comment]) -> list[Comment]:
    """Depth-first: each comment followed by its replies, oldest first."""
    kids: dict[int | None, list[Comment]] = {}
    ids = {c.id for c in rows}
    for c in rows:
        kids.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    out: list[Comment] = []

    def walk(parent: int | None) -> None:
        for c in kids.get(parent, []):
            out.append(c)
            walk(c.id)

    walk(None)
    return out


@router.get("/search")
def search_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    q: Annotated[str | None, Query(max_length=200)] = None,
    author: Annotated[str | None, Query(max_length=200)] = None,
    story: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """Find comments by their words, their author (name, email, id) or their story."""
    found = editorial.search(
        session, actor=desk.user, site_id=desk.site_id, text=q, author=author, story=story
    )
    ctx = base_context(session, desk, now=now, active="search")
    ctx.update(results=found, q=q or "", author=author or "", story=story or "")
    return page(request, "dashboard/search.html", ctx)


@router.post("/comments/{comment_id}/feature")
def feature_from_dashboard(
    request: Request,
    comment_id: RowId,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    featured: Annotated[bool, Form()],
) -> Response:
    editorial.feature(session, actor=desk.user, comment_id=comment_id, featured=featured, now=now)
    commit(session, bus)
    return RedirectResponse(_back(request, "/moderate"), status_code=303)
