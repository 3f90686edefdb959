"""Prepared statements: the same answers, flushes, events and errors as `session.execute`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.db.prepared import Loader, Prepared
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story
from tests.factories import make_world

_STORY = select(Story.id, Story.created_at, Story.closed, Story.premoderate, Story.title).where(
    Story.site_id == bindparam("site_id")
)
_SITE = select(Site.settings, Site.origins).where(Site.id == bindparam("site_id"))


def test_rows_are_converted_as_session_execute_converts_them(
    session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    site = session.get(Site, world.site.id)
    assert site is not None
    site.settings = {"banned_words": ["a", "b"], "nested": {"x": 1}}
    session.commit()
    params = {"site_id": world.site.id}
    assert Prepared(_STORY).all(session, params) == [
        tuple(r) for r in session.execute(_STORY, params)
    ]
    assert Prepared(_SITE).first(session, params) == tuple(session.execute(_SITE, params).one())
    created = Prepared(_STORY).first(session, params)
    assert created is not None and created[1].tzinfo is not None  # aware UTC, as the ORM gives


def test_pending_orm_changes_are_flushed_before_a_prepared_statement(
    session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    story = session.get(Story, world.story.id)
    assert story is not None
    story.title = "Changed, not yet flushed"
    titles = Prepared(select(Story.title).where(Story.id == bindparam("id")))
    assert titles.scalar(session, {"id": story.id}) == "Changed, not yet flushed"
    session.rollback()
    assert titles.scalar(session, {"id": world.story.id}) == "A story"


def test_writes_fire_the_engines_cursor_events_and_count_rows(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    before = world.story.version
    seen: list[str] = []

    def listen(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        bump = Prepared(
            update(Story).where(Story.id == bindparam("id")).values(version=Story.version + 1)
        )
        assert bump.execute(session, {"id": world.story.id}) == 1
        assert bump.execute(session, {"id": -1}) == 0
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(seen) == 2 and seen[0].lstrip().upper().startswith("UPDATE")
    session.commit()
    assert session.scalar(select(Story.version).where(Story.id == world.story.id)) == before + 1


def test_a_driver_error_is_sqlalchemys_and_leaves_nothing_written(
    session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    stories = Story.__table__
    keys = ["site_id", "external_id", "created_at", "closed", "premoderate", "version"]
    add = Prepared(insert(stories), column_keys=keys)
    row = {
        "site_id": world.site.id,
        "external_id": "story-1",  # taken: unique per site
        "created_at": clock(),
        "closed": False,
        "premoderate": False,
        "version": 1,
    }
    with pytest.raises(IntegrityError):
        add.execute(session, row)
    session.rollback()
    assert session.scalar(select(Story.id).where(Story.external_id == "story-1")) == world.story.id


def test_a_loaded_story_is_the_sessions_own_and_an_expired_one_is_refreshed(
    session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    session.expunge_all()
    find = Loader(Story, Story.id == bindparam("id"))
    story = find.first(session, {"id": world.story.id})
    assert story is not None and story.title == "A story" and story.created_at.tzinfo is not None
    assert story in session and not session.dirty
    assert find.first(session, {"id": world.story.id}) is story  # the identity map's copy
    version, count = story.version, story.comment_count
    stories_service.bump_version(session, story_id=story.id, count_delta=1)  # expires counters
    again = find.first(session, {"id": world.story.id})
    assert again is story and again.version == version + 1 and again.comment_count == count + 1
    assert find.first(session, {"id": -1}) is None
