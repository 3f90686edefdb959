"""Seed the demo: The Demo Gazette, its stories, readers, staff and a few hundred comments.

Runs once per database in one transaction; counters are computed here exactly as
`comments.state` would have kept them, so the demo needs no recount.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.accounts.models import Role, User
from belowline.comments.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Reaction,
    RevisionKind,
)
from belowline.comments.rendering import render_markdown
from belowline.demo import qa as qa_demo
from belowline.demo import voices, workday
from belowline.demo.comments import Draft, plan_story
from belowline.demo.content import ARTICLES
from belowline.rules import service as rules_service
from belowline.rules.models import TermsAcceptance
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story

SITE_ID = "demo-gazette"
SITE_NAME = "The Demo Gazette"
PASSWORD = "demo-pass"
COMMENTERS = 40

Tick = Callable[[int], None]


@dataclass(frozen=True)
class DemoReader:
    """A reader account held by the newspaper (the publisher), not by Belowline."""

    email: str
    name: str
    external_id: str
    plan: str  # active | lapsed | none
    password: str = PASSWORD


READERS: tuple[DemoReader, ...] = (
    DemoReader("sam@demo.test", "Sam Carter", "gazette-1001", "active"),
    DemoReader("lee@demo.test", "Lee Fairbanks", "gazette-1002", "lapsed"),
    DemoReader("nina@demo.test", "Nina Kowalczyk", "gazette-1003", "none"),
)

# (email, display name, role): local Belowline accounts for the newsroom.
STAFF: tuple[tuple[str, str, Role], ...] = (
    ("mo@demo.test", "Mo Haddad", Role.MODERATOR),
    ("ada@demo.test", "Ada Lindqvist", Role.ADMIN),
)


@dataclass(frozen=True)
class SeedSummary:
    stories: int
    comments: int
    users: int
    created: bool


def sso_secret_for(secret_key: str) -> str:
    """The demo site's HS256 secret: fixed for an install, derived from its secret key."""
    return hmac.new(secret_key.encode(), b"demo-gazette-sso", hashlib.sha256).hexdigest()


def newspaper_origins(host: str, site_port: int) -> list[str]:
    """Every origin a browser may load the demo newspaper from."""
    hosts = [host, "127.0.0.1", "localhost"]
    return list(dict.fromkeys(f"http://{h}:{site_port}" for h in hosts if h not in ("0.0.0.0", "")))  # noqa: S104


def total_steps() -> int:
    """How many progress ticks a full seed makes (one per user and per comment)."""
    return len(READERS) + len(STAFF) + COMMENTERS + sum(a.comments for a in ARTICLES)


def is_seeded(session: Session) -> bool:
    return session.get(Site, SITE_ID) is not None


def configure_site(
    session: Session, *, newspaper_url: str, origins: list[str], sso_secret: str, now: datetime
) -> Site:
    """Create the demo site, or point an existing one at the newspaper's current address."""
    site = session.get(Site, SITE_ID)
    if site is None:
        site, _key = stories_service.create_site(
            session,
            name=SITE_NAME,
            origins=origins,
            now=now - timedelta(days=60),
            site_id=SITE_ID,
            sso_secret=sso_secret,
            subscribe_url=f"{newspaper_url}/subscribe",
            signin_url=f"{newspaper_url}/signin",
        )
        return site
    site.origins = list(dict.fromkeys([*site.origins, *origins]))
    site.subscribe_url = f"{newspaper_url}/subscribe"
    site.signin_url = f"{newspaper_url}/signin"
    session.flush()
    return site


def seed(
    session: Session,
    *,
    newspaper_url: str,
    origins: list[str],
    sso_secret: str,
    now: datetime,
    tick: Tick | None = None,
    rng_seed: int = 2026,
) -> SeedSummary:
    """Seed everything once; a second call only refreshes the site's addresses."""
    step: Tick = tick or (lambda _n: None)
    seeded = is_seeded(session)
    site = configure_site(
        session, newspaper_url=newspaper_url, origins=origins, sso_secret=sso_secret, now=now
    )
    if seeded:
        return SeedSummary(0, 0, 0, created=False)
    rng = random.Random(rng_seed)
    rules = rules_service.ensure_default_rules(
        session, site_id=site.id, now=now - timedelta(days=45)
    )
    staff = _make_people(session, site, now, step)
    commenters = _make_commenters(session, site, now, rng, step)
    moderator = staff[0]
    next_id = (session.scalar(select(func.max(Comment.id))) or 0) + 1
    total = 0
    first_post: dict[int, datetime] = {}
    for index, art in enumerate(ARTICLES):
        story = stories_service.upsert_story(
            session,
            site_id=site.id,
            external_id=art.slug,
            now=now - timedelta(hours=art.hours_ago),
            title=art.headline,
            url=f"{newspaper_url}/news/{art.slug}",
            text=art.text,
        )
        if art.slug == qa_demo.QA_SLUG:
            before = next_id
            next_id = qa_demo.seed_qa(
                session,
                story=story,
                moderator=moderator,
                askers=commenters,
                password=PASSWORD,
                now=now,
                rng=rng,
                next_id=next_id,
                first_post=first_post,
            )
            total += next_id - before
            continue
        drafts = plan_story(
            art, commenters=commenters, start=story.created_at, now=now, rng=rng, story_index=index
        )
        next_id = _insert(session, site, story, drafts, next_id, moderator, rng)
        for d in drafts:
            if d.author.id not in first_post or d.created_at < first_post[d.author.id]:
                first_post[d.author.id] = d.created_at
        total += len(drafts)
        step(len(drafts))
    session.add_all(
        TermsAcceptance(
            user_id=uid,
            site_id=site.id,
            version=rules.version,
            accepted_at=at - timedelta(minutes=1),
        )
        for uid, at in first_post.items()
    )
    session.flush()
    workday.working_day(session, site=site, newspaper_url=newspaper_url, now=now, rng=rng)
    session.flush()
    users = len(staff) + len(commenters) + len(READERS) + 1  # and the Q&A story's expert
    return SeedSummary(len(ARTICLES), total, users, created=True)


def _make_people(session: Session, site: Site, now: datetime, step: Tick) -> list[User]:
    """The three newspaper readers (as SSO users) and the two staff accounts; returns staff."""
    expiry = {"active": now + timedelta(days=240), "lapsed": now - timedelta(days=27), "none": None}
    for reader in READERS:
        accounts_service.create_user(
            session,
            site_id=site.id,
            email=reader.email,
            display_name=reader.name,
            now=now - timedelta(days=40),
            subscriber=reader.plan == "active",
            subscription_expires_at=expiry[reader.plan],
            external_id=reader.external_id,
        )
        step(1)
    staff = []
    for email, name, role in STAFF:
        staff.append(
            accounts_service.create_user(
                session,
                site_id=site.id,
                email=email,
                display_name=name,
                password=PASSWORD,
                role=role,
                now=now - timedelta(days=60),
            )
        )
        step(1)
    return staff


def _make_commenters(
    session: Session, site: Site, now: datetime, rng: random.Random, step: Tick
) -> list[User]:
    """Forty subscribers who comment; a few use a handle instead of their name."""
    people = []
    surnames = list(voices.SURNAMES)
    rng.shuffle(surnames)
    for i in range(COMMENTERS):
        first = voices.FIRST_NAMES[i]
        last = surnames[i % len(surnames)]
        name = f"{first} {last}"
        if i % 5 == 4:
            name = voices.HANDLES[(i // 5) % len(voices.HANDLES)]
        people.append(
            User(
                site_id=site.id,
                external_id=f"gazette-{2001 + i}",
                email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@demo.test",
                display_name=name,
                role=Role.COMMENTER,
                is_subscriber=True,
                subscription_expires_at=now + timedelta(days=rng.randint(20, 400)),
                created_at=now - timedelta(days=rng.randint(30, 900)),
                banned=False,
                premoderated=False,
            )
        )
    session.add_all(people)
    session.flush()
    step(COMMENTERS)
    return people


def _insert(
    session: Session,
    site: Site,
    story: Story,
    drafts: list[Draft],
    next_id: int,
    moderator: User,
    rng: random.Random,
) -> int:
    """Insert one story's comments with ids, counters and revisions already right."""
    made: dict[int, Comment] = {}
    rows: list[Comment] = []
    for n, d in enumerate(drafts):
        cid = next_id + n
        parent = made[id(d.parent)] if d.parent is not None else None
        rows.append(
            Comment(
                id=cid,
                site_id=site.id,
                story_id=story.id,
                parent_id=parent.id if parent else None,
                root_id=(parent.root_id or parent.id) if parent else None,
                depth=parent.depth + 1 if parent else 0,
                author_id=d.author.id,
                status=d.status,
                body_md=d.body,
                body_html=render_markdown(d.body),
                created_at=d.created_at,
                edited_at=d.edited_at,
                moderator_edited=d.amended_from is not None,
                featured=d.featured,
                reaction_count=0,
                reply_count=0,
                version=1 + (d.edited_at is not None) + (d.status != CommentStatus.PUBLISHED),
                removal_rule_id=d.rule,
                removal_reason=_reason(session, site.id, d.rule),
            )
        )
        made[id(d)] = rows[-1]
        if parent is not None and d.status != CommentStatus.HELD:
            parent.reply_count += 1
    session.add_all(rows)
    session.flush()
    _add_revisions(session, rows, drafts, moderator)
    _add_reactions(session, rows, drafts, rng)
    story.comment_count = sum(1 for c in rows if c.status == CommentStatus.PUBLISHED)
    story.version += 1
    session.flush()
    return next_id + len(drafts)


def _reason(session: Session, site_id: str, rule: str | None) -> str | None:
    if rule is None:
        return None
    rules = rules_service.current_rules(session, site_id=site_id)
    found = rules.rule(rule) if rules else None
    title = found.title if found else rule
    return f"Removed by a moderator for breaking the rule \u201c{title}\u201d."


def _add_revisions(
    session: Session, rows: list[Comment], drafts: list[Draft], moderator: User
) -> None:
    for c, d in zip(rows, drafts, strict=True):
        original = d.original_body or d.amended_from
        if original is None:
            continue
        session.add(
            CommentRevision(
                comment_id=c.id,
                kind=RevisionKind.ORIGINAL,
                body_md=original,
                body_html=render_markdown(original),
                editor_id=c.author_id,
                created_at=c.created_at,
            )
        )
        amended = d.amended_from is not None
        session.add(
            CommentRevision(
                comment_id=c.id,
                kind=RevisionKind.MODERATOR_AMEND if amended else RevisionKind.AUTHOR_EDIT,
                body_md=c.body_md,
                body_html=c.body_html,
                editor_id=moderator.id if amended else c.author_id,
                created_at=c.edited_at or c.created_at,
            )
        )


def _add_reactions(
    session: Session, rows: list[Comment], drafts: list[Draft], rng: random.Random
) -> None:
    """A few reactions on most published comments, more on early top-level ones."""
    pool = list({d.author.id: d.author for d in drafts}.values())
    reactions = []
    for c in rows:
        if c.status != CommentStatus.PUBLISHED:
            continue
        ceiling = 14 if c.depth == 0 else 5
        wanted = min(int(rng.expovariate(1 / 2.5)), ceiling, len(pool) - 1)
        voters = [u for u in rng.sample(pool, min(len(pool), wanted + 1)) if u.id != c.author_id]
        for voter in voters[:wanted]:
            reactions.append(
                Reaction(
                    comment_id=c.id,
                    user_id=voter.id,
                    created_at=c.created_at + timedelta(seconds=rng.randint(20, 240)),
                )
            )
        c.reaction_count = min(len(voters), wanted)
    session.add_all(reactions)
