"""The story read with the site's facts version: one statement, handed out once, never stale."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from belowline.clock import FrozenClock
from belowline.stories import service as stories_service
from belowline.stories.models import Story
from tests.factories import make_world


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _fresh(engine: Engine) -> Session:
    return sessionmaker(bind=engine)()


def test_the_site_and_its_story_come_in_one_statement(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    session.commit()
    stories_service.site_for_post(_fresh(engine), site_id="gazette")  # the site's row is kept
    reader = _fresh(engine)
    with _statements(engine) as seen:
        site = stories_service.site_for_post(reader, site_id="gazette", story="story-1")
        story = stories_service.find_story(reader, site_id=site.id, external_id="story-1")
    assert len(seen) == 1, seen
    assert story is not None and story.id == world.story.id and story.title == world.story.title
    with _statements(engine) as seen:  # handed out once: a second ask reads the row
        again = stories_service.find_story(reader, site_id=site.id, external_id="story-1")
    assert again is story and len(seen) == 1
    with _statements(engine) as seen:
        missing = _fresh(engine)
        stories_service.site_for_post(missing, site_id="gazette", story="no-such-story")
        assert (
            stories_service.find_story(missing, site_id="gazette", external_id="no-such-story")
            is None
        )
    assert len(seen) == 1, seen


def test_a_story_the_session_itself_created_is_found_after_its_flush(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    session.commit()
    writer = _fresh(engine)
    site = stories_service.site_for_post(writer, site_id="gazette", story="story-2")
    writer.add(Story(site_id=site.id, external_id="story-2", title="Two", created_at=clock()))
    writer.flush()
    found = stories_service.find_story(writer, site_id=site.id, external_id="story-2")
    assert found is not None and found.title == "Two"
    writer.rollback()


def test_a_change_committed_by_another_session_is_seen_by_the_next_transaction(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    session.commit()
    reader = _fresh(engine)
    stories_service.site_for_post(reader, site_id="gazette", story="story-1")
    reader.commit()  # the transaction that read the story is over, its row unused

    other = _fresh(engine)
    story = stories_service.find_story(other, site_id="gazette", external_id="story-1")
    assert story is not None
    story.closed = True
    other.commit()
    seen = stories_service.find_story(reader, site_id="gazette", external_id="story-1")
    assert seen is not None and seen.closed is True
    reader.close()
    other.close()
