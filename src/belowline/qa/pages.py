"""The dashboard's Q&A page for one story: switch the mode, name experts, assign questions."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from belowline import permissions
from belowline.dashboard.desk import CurrentDesk, DashboardRoute, WritingDesk, base_context, page
from belowline.errors import ErrorCode, InvalidInput
from belowline.ids import MAX_ROW_ID, RowId
from belowline.permissions import require
from belowline.qa import listing, service
from belowline.stories import service as stories_service
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _here(story_id: str) -> str:
    return f"/moderate/stories/{quote(story_id, safe='')}/qa"


@router.get("/stories/{story_id}/qa")
def qa_page(
    request: Request,
    story_id: str,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    filter: Annotated[str, Query(max_length=20)] = "all",
) -> HTMLResponse:
    """One story's Q&A as its editors see it: mode, experts, questions and who answers them."""
    require(permissions.can_run_qa, desk.user, desk.site_id)
    story = stories_service.get_story(session, site_id=desk.site_id, external_id=story_id)
    view = listing.page(
        session, story=story, viewer=desk.user, which=filter, limit=listing.PAGE_MAX
    )
    ctx = base_context(session, desk, now=now, active="stories")
    ctx.update(story=story, qa=view, here=_here(story.external_id))
    return page(request, "dashboard/qa.html", ctx)


@router.post("/stories/{story_id}/qa/mode")
def qa_mode(
    story_id: str,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    mode: Annotated[str, Form(max_length=10)],
) -> Response:
    service.set_mode(
        session, actor=desk.user, site_id=desk.site_id, story_id=story_id, mode=mode, now=now
    )
    commit(session, bus)
    return RedirectResponse(_here(story_id), status_code=303)


@router.post("/stories/{story_id}/qa/experts")
def qa_add_expert(
    story_id: str,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    who: Annotated[str, Form(max_length=320)],
) -> Response:
    require(permissions.can_run_qa, desk.user, desk.site_id)
    person = service.find_person(session, site_id=desk.site_id, who=who)
    service.add_expert(
        session,
        actor=desk.user,
        site_id=desk.site_id,
        story_id=story_id,
        user_id=person.id,
        now=now,
    )
    commit(session, bus)
    return RedirectResponse(_here(story_id), status_code=303)


@router.post("/stories/{story_id}/qa/experts/{user_id}/remove")
def qa_remove_expert(
    story_id: str, user_id: RowId, session: DbSession, desk: WritingDesk, now: Now, bus: BusDep
) -> Response:
    service.remove_expert(
        session, actor=desk.user, site_id=desk.site_id, story_id=story_id, user_id=user_id, now=now
    )
    commit(session, bus)
    return RedirectResponse(_here(story_id), status_code=303)


@router.post("/stories/{story_id}/qa/questions/{comment_id}/assign")
def qa_assign(
    story_id: str,
    comment_id: RowId,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    expert_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    expert = None
    if expert_id:
        if not expert_id.isdigit() or not 0 < int(expert_id) <= MAX_ROW_ID:
            raise InvalidInput("Choose one of the story's experts.", code=ErrorCode.NOT_AN_EXPERT)
        expert = int(expert_id)
    service.assign(
        session,
        actor=desk.user,
        question_id=comment_id,
        expert_id=expert,
        now=now,
        site_id=desk.site_id,
    )
    commit(session, bus)
    return RedirectResponse(_here(story_id), status_code=303)
