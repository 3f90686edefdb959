"""What a Q&A looks like to a reader: questions newest first, each with its answer beneath,
filtered to answered or unanswered; assignments are shown only to staff and the experts."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from belowline import permissions
from belowline.accounts.models import User
from belowline.comments import service as comments_service
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.views import iso
from belowline.errors import ErrorCode, InvalidInput
from belowline.ids import MAX_ROW_ID
from belowline.qa import service
from belowline.qa.models import QaMode, QaQuestion
from belowline.stories.models import Story

PAGE_DEFAULT = 20
PAGE_MAX = 50


class QaFilter(StrEnum):
    ALL = "all"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"


Answer = aliased(Comment, name="answer")


def _base(story: Story) -> Select[Comment, QaQuestion, Comment]:
    """Published top-level comments of the story, their Q&A row and published answer if any."""
    return (
        select(Comment, QaQuestion, Answer)
        .outerjoin(QaQuestion, QaQuestion.comment_id == Comment.id)
        .outerjoin(
            Answer,
            and_(Answer.id == QaQuestion.answer_id, Answer.status == CommentStatus.PUBLISHED),
        )
        .where(
            Comment.story_id == story.id,
            Comment.parent_id.is_(None),
            Comment.status == CommentStatus.PUBLISHED,
        )
    )


def counts(session: Session, *, story: Story) -> dict[str, int]:
    inner = _base(story).with_only_columns(Comment.id, Answer.id.label("answer_id")).subquery()
    total, answered = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((inner.c.answer_id.is_not(None), 1), else_=0)), 0),
        ).select_from(inner)
    ).one()
    return {
        "all": int(total),
        "answered": int(answered),
        "unanswered": int(total) - int(answered),
    }


def _cursor(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ROW_ID:
        raise InvalidInput("That page link is not valid.", code=ErrorCode.INVALID_CURSOR)
    return int(raw)


def _person(session: Session, user_id: int | None) -> dict[str, Any] | None:
    user = session.get(User, user_id) if user_id is not None else None
    return {"id": user.id, "display_name": user.display_name} if user is not None else None


def page(
    session: Session,
    *,
    story: Story,
    viewer: User | None,
    which: str = QaFilter.ALL,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> dict[str, Any]:
    """One page of a story's Q&A as `viewer` sees it."""
    try:
        chosen = QaFilter(which)
    except ValueError:
        raise InvalidInput(
            "The filter is one of all, answered or unanswered.",
            code=ErrorCode.VALIDATION_ERROR,
            field="filter",
        ) from None
    mode = service.mode_of(session, story=story)
    experts = service.experts(session, story_id=story.id)
    expert_ids = {u.id for u in experts}
    is_staff = permissions.can_run_qa(viewer, story.site_id)
    is_expert = permissions.can_answer_question(viewer, expert_ids)
    out: dict[str, Any] = {
        "story_id": story.external_id,
        "mode": mode.value,
        "experts": [{"id": u.id, "display_name": u.display_name} for u in experts],
        "viewer": {"expert": is_expert, "staff": is_staff},
        "filter": chosen.value,
        "counts": {"all": 0, "answered": 0, "unanswered": 0},
        "items": [],
        "next_cursor": None,
    }
    if mode == QaMode.OFF:
        return out
    after = _cursor(cursor)
    stmt = _base(story)
    if chosen == QaFilter.ANSWERED:
        stmt = stmt.where(Answer.id.is_not(None))
    elif chosen == QaFilter.UNANSWERED:
        stmt = stmt.where(Answer.id.is_(None))
    if after is not None:
        stmt = stmt.where(Comment.id < after)
    rows = session.execute(stmt.order_by(Comment.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    for question, row, answer in rows:
        item: dict[str, Any] = {
            "question": comments_service.view(session, question, story, viewer=viewer),
            "answered": answer is not None,
            "answer": comments_service.view(session, answer, story, viewer=viewer)
            if answer is not None
            else None,
            "answered_at": iso(row.answered_at) if answer is not None and row else None,
        }
        if is_staff or is_expert:
            item["assignee"] = _person(session, row.assignee_id if row else None)
        out["items"].append(item)
    out["counts"] = counts(session, story=story)
    out["next_cursor"] = str(rows[-1][0].id) if more and rows else None
    return out


def entry(
    session: Session, *, question: Comment, story: Story, viewer: User | None
) -> dict[str, Any]:
    """One question as the page shows it (the answer to a write)."""
    row = session.get(QaQuestion, question.id)
    answer = session.get(Comment, row.answer_id) if row and row.answer_id else None
    if answer is not None and answer.status != CommentStatus.PUBLISHED:
        answer = None
    return {
        "question": comments_service.view(session, question, story, viewer=viewer),
        "answered": answer is not None,
        "answer": comments_service.view(session, answer, story, viewer=viewer) if answer else None,
        "answered_at": iso(row.answered_at) if answer is not None and row else None,
        "assignee": _person(session, row.assignee_id if row else None),
    }
