"""Typed factories for test data; each returns what it made."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.accounts.models import Role, User
from belowline.accounts.passwords import hash_password
from belowline.accounts.tokens import issue_access_token
from belowline.rules import service as rules_service
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story

TEST_SECRET = "test-secret-key-for-belowline-tests-only"
SSO_SECRET = "publisher-shared-secret-0123456789abcdef-0123456789abcdef-012345"
ORIGIN = "https://news.example"


@dataclass
class World:
    site: Site
    api_key: str
    story: Story
    rules_version: int


def make_world(session: Session, now: datetime, *, site_id: str = "gazette") -> World:
    site, api_key = stories_service.create_site(
        session,
        name="The Test Gazette",
        origins=[ORIGIN],
        now=now,
        site_id=site_id,
        sso_secret=SSO_SECRET,
        subscribe_url="https://news.example/subscribe",
    )
    rules = rules_service.ensure_default_rules(session, site_id=site.id, now=now)
    story = stories_service.upsert_story(
        session,
        site_id=site.id,
        external_id="story-1",
        now=now,
        title="A story",
        url="https://news.example/a",
        text="The council voted on the new bridge budget.",
    )
    session.commit()
    return World(site=site, api_key=api_key, story=story, rules_version=rules.version)


@functools.cache
def _hash(password: str) -> str:
    return hash_password(password)


def make_user(
    session: Session,
    site: Site,
    now: datetime,
    *,
    role: Role = Role.COMMENTER,
    subscriber: bool = True,
    name: str | None = None,
    email: str | None = None,
    password: str = "correct horse battery",
    accept_rules: bool = True,
) -> User:
    n = session.query(User).count() + 1
    user = accounts_service.create_user(
        session,
        site_id=site.id,
        email=email or f"user{n}@example.com",
        display_name=name or f"User {n}",
        role=role,
        subscriber=subscriber,
        now=now,
    )
    user.password_hash = _hash(password)  # hashing once per run keeps the suite fast
    if accept_rules:
        rules = rules_service.current_rules(session, site_id=site.id)
        if rules:
            rules_service.require_current_terms(
                session, user=user, accept_version=rules.version, now=now
            )
    session.commit()
    return user


def token_for(user: User, now: datetime, secret: str) -> str:
    return issue_access_token(
        secret=secret, user_id=user.id, site_id=user.site_id, now=now, ttl=3600
    )


def auth(user: User, now: datetime, secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user, now, secret)}"}


def publisher_token(
    now: datetime | None = None,
    *,
    secret: str = SSO_SECRET,
    aud: str = "gazette",
    alg: str = "HS256",
    **claims: object,
) -> str:
    ts = int((now or datetime.fromtimestamp(time.time(), tz=UTC)).timestamp())
    payload: dict[str, object] = {
        "sub": "reader-1",
        "name": "Rita Reader",
        "email": "rita@example.com",
        "subscriber": True,
        "iat": ts,
        "exp": ts + 300,
        "aud": aud,
    }
    payload.update(claims)
    return jwt.encode(payload, secret, algorithm=alg)


def later(now: datetime, **kw: float) -> datetime:
    return now + timedelta(**kw)
