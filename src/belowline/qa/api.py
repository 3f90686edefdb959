"""Q&A mode's routes: the public Q&A page, the editor's switches, assignments and answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from belowline.comments.views import iso
from belowline.ids import RowId
from belowline.qa import listing, service
from belowline.qa.models import QaStory
from belowline.qa.schemas import AnswerIn, AssignIn, ModeIn
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
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["q&a"])


@router.get("/sites/{site_id}/stories/{story_id}/qa")
def qa_page(
    site_id: str,
    story_id: str,
    session: DbSession,
    viewer: OptionalUser,
    filter: str = Query(default="all", max_length=20),
    limit: int = Query(default=listing.PAGE_DEFAULT, ge=1, le=listing.PAGE_MAX),
    cursor: str | None = Query(default=None, max_length=20),
) -> dict[str, Any]:
    """A story's questions, newest first, with the experts' answers ("mode": "off" if none)."""
    stories_service.get_site(session, site_id=site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    return listing.page(
        session, story=story, viewer=viewer, which=filter, limit=limit, cursor=cursor
    )


def _mode(row: QaStory, story_id: str) -> dict[str, Any]:
    return {"story_id": story_id, "mode": row.mode, "changed_at": iso(row.changed_at)}


@router.put("/sites/{site_id}/stories/{story_id}/qa")
def put_mode(
    site_id: str,
    story_id: str,
    body: ModeIn,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Open a story's Q&A, close it (questions and answers stay), or switch it off."""
    row = service.set_mode(
        session, actor=user, site_id=site_id, story_id=story_id, mode=body.mode, now=now
    )
    out = _mode(row, story_id)
    commit(session, bus)
    return out


@router.put("/sites/{site_id}/stories/{story_id}/qa/experts/{user_id}")
def put_expert(
    site_id: str,
    story_id: str,
    user_id: RowId,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Name a member of staff or a reader an expert for this story (they are emailed)."""
    service.add_expert(
        session, actor=user, site_id=site_id, story_id=story_id, user_id=user_id, now=now
    )
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    out = {
        "story_id": story_id,
        "experts": [
            {"id": u.id, "display_name": u.display_name}
            for u in service.experts(session, story_id=story.id)
        ],
    }
    commit(session, bus)
    return out


@router.delete("/sites/{site_id}/stories/{story_id}/qa/experts/{user_id}", status_code=204)
def delete_expert(
    site_id: str,
    story_id: str,
    user_id: RowId,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
) -> Response:
    """Take someone off the story's experts; their assigned questions go back to the pool."""
    service.remove_expert(
        session, actor=user, site_id=site_id, story_id=story_id, user_id=user_id, now=now
    )
    commit(session, bus)
    return Response(status_code=204)


def _assigned(
    session: DbSession, user: StaffUser, now: Now, bus: BusDep, comment_id: int, expert: int | None
) -> dict[str, Any]:
    _, question, story = service.assign(
        session, actor=user, question_id=comment_id, expert_id=expert, now=now
    )
    out = listing.entry(session, question=question, story=story, viewer=user)
    commit(session, bus)
    return out


@router.put("/qa/questions/{comment_id}/assignee")
def put_assignee(
    comment_id: RowId, body: AssignIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Give a question to one of the story's experts."""
    return _assigned(session, user, now, bus, comment_id, body.expert_id)


@router.delete("/qa/questions/{comment_id}/assignee")
def delete_assignee(
    comment_id: RowId, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Take a question back from its expert."""
    return _assigned(session, user, now, bus, comment_id, None)


@router.post("/qa/questions/{comment_id}/answer", status_code=201)
def post_answer(
    comment_id: RowId,
    body: AnswerIn,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """A designated expert answers a question; the answer is published under it at once."""
    rate_limit(request, settings.rate_limit_posts, "post", str(user.id))
    _, question, _, story = service.answer(
        session,
        actor=user,
        site=stories_service.get_site(session, site_id=user.site_id),
        question_id=comment_id,
        body=body.body,
        accept_terms_version=body.accept_terms_version,
        now=now,
    )
    out = listing.entry(session, question=question, story=story, viewer=user)
    commit(session, bus)
    return out
