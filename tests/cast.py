"""The people a moderation test needs, on two sites, and helpers to act as them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.clock import FrozenClock
from belowline.models import (
    AuditEntry,
    CommentRevision,
    Decision,
    ModeratorNote,
    Notification,
    QueueItem,
    Report,
    ReporterStats,
    Sanction,
)
from tests.factories import TEST_SECRET, World, auth, make_user, make_world

RULE = "respect"  # a key from the default rules
COMMENTS_URL = "/api/v1/sites/gazette/stories/story-1/comments"


@dataclass
class Cast:
    world: World
    other: World
    author: User
    reader: User
    reader2: User
    mod: User
    admin: User
    other_mod: User
    clock: FrozenClock

    def h(self, user: User | None) -> dict[str, str]:
        return auth(user, self.clock(), TEST_SECRET) if user is not None else {}


def make_cast(session: Session, clock: FrozenClock) -> Cast:
    now = clock()
    world = make_world(session, now)
    other = make_world(session, now, site_id="courier")
    return Cast(
        world=world,
        other=other,
        author=make_user(session, world.site, now, name="Arthur Author"),
        reader=make_user(session, world.site, now, name="Rita Reader"),
        reader2=make_user(session, world.site, now, name="Rob Reader"),
        mod=make_user(session, world.site, now, role=Role.MODERATOR, name="Mona Moderator"),
        admin=make_user(session, world.site, now, role=Role.ADMIN, name="Ada Admin"),
        other_mod=make_user(session, other.site, now, role=Role.MODERATOR, name="Otto Other"),
        clock=clock,
    )


def post(
    client: TestClient, cast: Cast, user: User, body: str, parent_id: int | None = None
) -> int:
    r = client.post(COMMENTS_URL, json={"body": body, "parent_id": parent_id}, headers=cast.h(user))
    assert r.status_code == 201, r.text
    comment_id: int = r.json()["id"]
    return comment_id


def report(
    client: TestClient, cast: Cast, user: User, comment_id: int, reason: str = "abusive", **kw: Any
) -> Any:
    return client.post(
        f"/api/v1/comments/{comment_id}/reports",
        json={"reason": reason, **kw},
        headers=cast.h(user),
    )


def decide(client: TestClient, cast: Cast, user: User | None, comment_id: int, **body: Any) -> Any:
    body.setdefault("rule_id", RULE)
    return client.post(
        f"/api/v1/moderation/comments/{comment_id}/decisions", json=body, headers=cast.h(user)
    )


TABLES = (
    Report,
    ReporterStats,
    QueueItem,
    Decision,
    Sanction,
    ModeratorNote,
    AuditEntry,
    Notification,
    CommentRevision,
)


def row_counts(session: Session) -> dict[str, int]:
    """How many rows each moderation table holds (to prove a refusal wrote nothing)."""
    session.expire_all()
    return {
        t.__tablename__: int(session.scalar(select(func.count()).select_from(t)) or 0)
        for t in TABLES
    }


def at(clock: FrozenClock) -> datetime:
    return clock()
