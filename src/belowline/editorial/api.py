"""Editor tools' routes: feature a comment, pin an announcement (moderators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from belowline.comments import service as comments_service
from belowline.comments.staff_views import staff_comment
from belowline.comments.views import iso
from belowline.editorial import service as editorial
from belowline.editorial.schemas import AnnouncementIn
from belowline.ids import RowId
from belowline.stories.models import Story
from belowline.web.deps import BusDep, DbSession, Now, commit
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["editor tools"])


def _featured(
    session: DbSession, user: StaffUser, now: Now, bus: BusDep, comment_id: int, on: bool
) -> dict[str, Any]:
    comment = editorial.feature(session, actor=user, comment_id=comment_id, featured=on, now=now)
    _, story = comments_service.get_comment(session, comment_id=comment.id)
    out = staff_comment(session, comment, story)
    commit(session, bus)
    return out


@router.put("/moderation/comments/{comment_id}/feature")
def feature_comment(
    comment_id: RowId, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Feature a published comment: it leads the widget's Featured strip and sort."""
    return _featured(session, user, now, bus, comment_id, True)


@router.delete("/moderation/comments/{comment_id}/feature")
def unfeature_comment(
    comment_id: RowId, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Take a comment out of the Featured strip."""
    return _featured(session, user, now, bus, comment_id, False)


def _announcement(story: Story) -> dict[str, Any]:
    return {
        "story_id": story.external_id,
        "text": story.announcement_md,
        "html": story.announcement_html,
        "updated_at": iso(story.announcement_at),
    }


@router.put("/sites/{site_id}/stories/{story_id}/announcement")
def put_announcement(
    site_id: str,
    story_id: str,
    body: AnnouncementIn,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Pin the newsroom's note above a story's comments (markdown subset)."""
    story = editorial.set_announcement(
        session, actor=user, site_id=site_id, story_id=story_id, text=body.text, now=now
    )
    out = _announcement(story)
    commit(session, bus)
    return out


@router.delete("/sites/{site_id}/stories/{story_id}/announcement", status_code=204)
def delete_announcement(
    site_id: str, story_id: str, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> Response:
    """Take the pinned note down."""
    editorial.set_announcement(
        session, actor=user, site_id=site_id, story_id=story_id, text=None, now=now
    )
    commit(session, bus)
    return Response(status_code=204)
