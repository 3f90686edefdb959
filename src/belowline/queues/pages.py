"""The moderators' queues in the dashboard: items, decisions, bulk actions and the live feed."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments import service as comments_service
from belowline.comments.staff_views import names, staff_comment, story_view
from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
)
from belowline.decisions import bulk as decision_bulk
from belowline.decisions import service as decisions
from belowline.decisions.views import decision_view
from belowline.errors import BelowlineError, Conflict, ErrorCode
from belowline.ids import RowId
from belowline.live.bus import moderation_channel
from belowline.live.sse import sse_response
from belowline.queues import service as queues
from belowline.queues.models import QueueItem, QueueStatus
from belowline.stories.models import Story
from belowline.web.deps import BusDep, DbSession, Now, commit
from belowline.web.templating import is_htmx

OptionalText = Annotated[str | None, Form(max_length=5000)]

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _filters(story: str | None, reason: str | None) -> dict[str, str]:
    return {k: v for k, v in (("story", story), ("reason", reason)) if v}


def _story_options(session: Session, site_id: str) -> list[tuple[str, str]]:
    """Stories that have something waiting, for the story filter."""
    rows = session.execute(
        select(Story.external_id, Story.title)
        .join(QueueItem, QueueItem.story_id == Story.id)
        .where(QueueItem.site_id == site_id, QueueItem.status == QueueStatus.OPEN)
        .distinct()
        .order_by(Story.title)
    ).all()
    return [(r[0], r[1] or r[0]) for r in rows]


def _queue_context(
    session: Session,
    desk: Desk,
    *,
    now: Any,
    queue: str,
    story: str | None,
    reason: str | None,
) -> dict[str, Any]:
    listing = queues.list_queue(
        session,
        actor=desk.user,
        queue=queue,
        now=now,
        story_id=story or None,
        reason=reason or None,
        limit=100,
    )
    session.commit()  # keep the re-ranked order, so the next load shows the same one
    ctx = base_context(session, desk, now=now, active=queue)
    ctx.update(
        queue=queue,
        items=listing["items"],
        story=story or "",
        reason=reason or "",
        stories=_story_options(session, desk.site_id),
        filter_query=urlencode(_filters(story, reason)),
    )
    return ctx


@router.get("")
def queue_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    queue: str = Query(default="reported", max_length=16),
    story: str | None = Query(default=None, max_length=200),
    reason: str | None = Query(default=None, max_length=32),
) -> HTMLResponse:
    """A queue with its tabs, filters and items (Reported by default)."""
    ctx = _queue_context(session, desk, now=now, queue=queue, story=story, reason=reason)
    name = "dashboard/_queue_main.html" if is_htmx(request) else "dashboard/queue.html"
    return page(request, name, ctx)


@router.get("/items")
def queue_items(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    queue: str = Query(default="reported", max_length=16),
    story: str | None = Query(default=None, max_length=200),
    reason: str | None = Query(default=None, max_length=32),
) -> HTMLResponse:
    """Just the items of a queue: the live feed merges them into the open page."""
    ctx = _queue_context(session, desk, now=now, queue=queue, story=story, reason=reason)
    return page(request, "dashboard/_items.html", ctx)


@router.get("/tabs")
def queue_tabs(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    queue: str = Query(default="reported", max_length=16),
) -> HTMLResponse:
    """The queue tabs with fresh counts."""
    ctx = base_context(session, desk, now=now, active=queue)
    ctx["filter_query"] = ""
    return page(request, "dashboard/_tabs.html", ctx)


def _open_item_view(
    session: Session, comment_id: int, queue: str, now: Any
) -> dict[str, Any] | None:
    row = session.execute(
        select(QueueItem)
        .where(QueueItem.comment_id == comment_id, QueueItem.status == QueueStatus.OPEN)
        .order_by((QueueItem.queue == queue).desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    c, story = comments_service.get_comment(session, comment_id=comment_id)
    return queues.item_view(session, row, c, story, now=now)


def _decision_summary(session: Session, comment_id: int) -> dict[str, Any] | None:
    latest = decisions.latest_decision(session, comment_id=comment_id)
    if latest is None:
        return None
    who = names(session, {latest.actor_id} if latest.actor_id else set())
    return decision_view(latest, who.get(latest.actor_id or 0))


def _item_after(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    comment_id: int,
    queue: str,
    now: Any,
    error: BelowlineError | None = None,
) -> HTMLResponse:
    """Render one item again: still open (with the error), or showing who decided it."""
    ctx = base_context(session, desk, now=now, active=queue)
    item = _open_item_view(session, comment_id, queue, now)
    conflict = isinstance(error, Conflict) and error.code == ErrorCode.CONFLICT
    ctx.update(queue=queue, error=error.message if error else None, conflict=conflict)
    status = error.status_code if error else 200
    if item is not None:
        ctx["item"] = item
        if error is None:  # only an undo leaves the item open: say what happened
            ctx["notice"] = "Restored: the comment is public again, and back here for a fresh look."
        ctx["other_decision"] = _decision_summary(session, comment_id) if conflict else None
        return page(request, "dashboard/_item.html", ctx, status_code=status)
    comment, story = comments_service.get_comment(session, comment_id=comment_id)
    ctx["decided"] = _decided_view(session, comment_id, comment, story)
    return page(request, "dashboard/_decided.html", ctx, status_code=status)


def _decided_view(
    session: Session, comment_id: int, comment: Any, story: Story
) -> dict[str, Any] | None:
    summary = _decision_summary(session, comment_id)
    if summary is None:
        return None
    summary["comment"] = staff_comment(session, comment, story)
    summary["context"] = {"story": story_view(story)}
    summary["undoable"] = summary["action"] in ("remove", "amend") and (
        comment.status == "removed" or comment.moderator_edited
    )
    return summary


@router.post("/comments/{comment_id}/decide")
def decide(
    comment_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    action: Annotated[str, Form(max_length=16)],
    rule_id: Annotated[str, Form(max_length=64)] = "",
    note: OptionalText = None,
    message: OptionalText = None,
    body: Annotated[str | None, Form(max_length=20000)] = None,
    expected_version: Annotated[int | None, Form()] = None,
    queue: Annotated[str, Form(max_length=16)] = "reported",
) -> Response:
    """Approve, amend, remove or restore one comment from the dashboard."""
    request_ = decisions.DecisionRequest(
        action=action,
        rule_id=rule_id or None,
        body=body if action == "amend" else None,
        note=note,
        message=message,
        expected_version=expected_version,
    )
    try:
        decisions.decide(session, actor=desk.user, comment_id=comment_id, request=request_, now=now)
        commit(session, bus)
    except BelowlineError as exc:
        session.rollback()
        if exc.status_code in (401, 403, 404):
            raise
        if not is_htmx(request):
            raise
        return _item_after(
            request, session, desk, comment_id=comment_id, queue=queue, now=now, error=exc
        )
    if not is_htmx(request):
        return RedirectResponse(f"/moderate?queue={queue}", status_code=303)
    response = _item_after(request, session, desk, comment_id=comment_id, queue=queue, now=now)
    response.headers["HX-Trigger"] = "queue-changed"
    return response


@router.post("/bulk")
def bulk(
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    action: Annotated[str, Form(max_length=16)],
    comment_ids: Annotated[list[RowId], Form()],
    rule_id: Annotated[str, Form(max_length=64)] = "",
    note: OptionalText = None,
    queue: Annotated[str, Form(max_length=16)] = "reported",
) -> Response:
    """Approve or remove the selected comments: all of them or none."""
    error: str | None = None
    try:
        made = decision_bulk.bulk_decide(
            session,
            actor=desk.user,
            comment_ids=comment_ids,
            request=decisions.DecisionRequest(action=action, rule_id=rule_id or None, note=note),
            now=now,
        )
        commit(session, bus)
        done = f"{len(made)} comment{'s' if len(made) != 1 else ''} {action}d."
    except BelowlineError as exc:
        session.rollback()
        if exc.status_code in (401, 403) or not is_htmx(request):
            raise
        error, done = exc.message, None
    if not is_htmx(request):
        return RedirectResponse(f"/moderate?queue={queue}", status_code=303)
    ctx = _queue_context(session, desk, now=now, queue=queue, story=None, reason=None)
    ctx.update(flash=done, error=error)
    return page(request, "dashboard/_queue_main.html", ctx, status_code=422 if error else 200)


@router.get("/events")
def events(request: Request, session: DbSession, desk: CurrentDesk) -> StreamingResponse:
    """Live queue changes for this moderator's site (Server-Sent Events)."""
    site_id = desk.site_id
    session.close()  # the stream may last hours; hold no database connection meanwhile
    return sse_response(request, moderation_channel(site_id))
