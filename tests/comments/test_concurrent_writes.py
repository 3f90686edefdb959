"""SQLite has one writer: a post that cannot get the lock in time is refused cleanly."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments.models import Comment
from belowline.db import make_engine
from belowline.settings import Settings
from tests.factories import TEST_SECRET, auth, make_user, make_world

URL = "/api/v1/sites/gazette/stories/story-1/comments"


def test_post_while_another_writer_holds_the_lock_is_503_and_writes_nothing(
    engine: Engine, session: Session, clock: FrozenClock, settings: Settings
) -> None:
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL has row locks; this is about SQLite's single writer
    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    impatient = make_engine(engine.url.render_as_string(hide_password=False), busy_timeout_ms=200)
    client = TestClient(create_app(settings, clock=clock, engine=impatient))
    other = sqlite3.connect(str(engine.url.database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another worker, mid-write
    try:
        r = client.post(URL, json={"body": "Busy?"}, headers=auth(user, clock(), TEST_SECRET))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "busy"
    assert r.headers["retry-after"] == "2"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Comment)) == 0
    again = client.post(URL, json={"body": "Now?"}, headers=auth(user, clock(), TEST_SECRET))
    assert again.status_code == 201
    impatient.dispose()


def test_every_pooled_connection_busy_is_503_busy_not_500(
    engine: Engine, session: Session, clock: FrozenClock, settings: Settings
) -> None:
    from sqlalchemy import create_engine

    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    session.commit()
    url = engine.url.render_as_string(hide_password=False)
    small = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    client = TestClient(create_app(settings, clock=clock, engine=small))
    held = small.connect()  # the only connection, busy elsewhere
    try:
        r = client.post(URL, json={"body": "No room?"}, headers=auth(user, clock(), TEST_SECRET))
    finally:
        held.close()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "busy"
    again = client.post(URL, json={"body": "Room now."}, headers=auth(user, clock(), TEST_SECRET))
    assert again.status_code == 201
    small.dispose()
