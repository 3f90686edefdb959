"""Two first comments on a new story at once: one creates it, the other finds it (no 500)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.db import make_sessionmaker
from belowline.stories import service as stories_service
from belowline.stories.models import Story
from belowline.stories.story_token import sign_story_token
from tests.factories import SSO_SECRET, make_world


def test_a_story_created_meanwhile_by_another_request_is_used(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    other = make_sessionmaker(engine)()
    raced: list[bool] = []

    def the_other_request_creates_it(flushing: Session, *_args: Any) -> None:
        # Between this request's lookup (nothing found) and its INSERT, another one commits.
        if raced or not any(isinstance(o, Story) for o in flushing.new):
            return
        raced.append(True)
        stories_service.upsert_story(other, site_id="gazette", external_id="new-story", now=clock())
        other.commit()

    event.listen(session, "before_flush", the_other_request_creates_it)
    story = stories_service.story_for_embed(
        session,
        site=world.site,
        external_id="new-story",
        story_token=sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="new-story"),
        title="New",
        url="https://news.example/new",
        now=clock(),
    )
    session.commit()
    assert raced
    assert story.external_id == "new-story"
    stored = session.scalar(
        select(func.count()).select_from(Story).where(Story.external_id == "new-story")
    )
    assert stored == 1
    other.close()
