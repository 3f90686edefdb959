"""Load bench.dataset into Belowline (bulk inserts, counters set) and mint subscriber tokens."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text, update

from belowline import migrate
from belowline import models as m
from belowline.accounts.tokens import issue_access_token
from belowline.comments.rendering import clean_text, render_markdown
from belowline.db import make_engine, make_sessionmaker
from belowline.rules import service as rules_service
from belowline.settings import Settings
from belowline.stories import service as stories_service
from bench import dataset
from bench.belowline_target import SeedInfo

SITE_ID = "bench"
POSTERS = 12_000  # enough readers that none posts 3 times a minute (a burst) below ~400 posts/s


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed(env: Mapping[str, str], data_dir: Path) -> SeedInfo:  # noqa: ARG001 - env names it
    """Migrate a fresh database and load the shared data set; return ids and tokens."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        settings = Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.effective_database_url
    if not url.startswith("sqlite"):
        _reset_postgres(url)
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    session = make_sessionmaker(engine)()
    _site, _ = stories_service.create_site(
        session, name="Bench Gazette", origins=["http://127.0.0.1"], now=now, site_id=SITE_ID
    )
    rules = rules_service.ensure_default_rules(session, site_id=SITE_ID, now=now)
    session.commit()
    conn = session.connection()
    authors: dict[str, int] = {}

    def author_id(name: str) -> int:
        if name not in authors:
            result = conn.execute(
                insert(m.User).values(
                    site_id=SITE_ID,
                    email=None,
                    display_name=name[:100],
                    role="commenter",
                    is_subscriber=True,
                    banned=False,
                    premoderated=False,
                    created_at=now,
                )
            )
            authors[name] = int(result.inserted_primary_key[0])  # type: ignore[index]
        return authors[name]

    story_ids: dict[str, str] = {}
    for story in dataset.stories():
        story_ids[story.key] = story.key
        sid = int(
            conn.execute(
                insert(m.Story).values(
                    site_id=SITE_ID,
                    external_id=story.key,
                    title=story.title,
                    url=f"http://127.0.0.1{story.path}",
                    text="",
                    closed=False,
                    premoderate=False,
                    comment_count=story.comment_count,
                    version=1,
                    created_at=now,
                )
            ).inserted_primary_key[0]
        )  # type: ignore[index]
        ids: dict[int, int] = {}
        depth: dict[int, int] = {}
        replies: dict[int, int] = {}
        for c in dataset.comments(story):
            parent_index = c.reply_to_reply if c.reply_to_reply is not None else c.parent
            parent_id = ids[parent_index] if parent_index is not None else None
            body = clean_text(c.text)
            row: dict[str, Any] = {
                "site_id": SITE_ID,
                "story_id": sid,
                "parent_id": parent_id,
                "root_id": ids[c.parent] if c.parent is not None else None,
                "depth": (depth[parent_index] + 1) if parent_index is not None else 0,
                "author_id": author_id(c.author),
                "status": "published",
                "body_md": body,
                "body_html": render_markdown(body),
                "created_at": datetime.fromtimestamp(c.created, UTC),
                "moderator_edited": False,
                "featured": False,
                "reaction_count": 0,
                "reply_count": 0,
                "version": 1,
            }
            new_id = int(conn.execute(insert(m.Comment).values(**row)).inserted_primary_key[0])  # type: ignore[index]
            ids[c.index] = new_id
            depth[c.index] = row["depth"]
            if parent_id is not None:
                replies[parent_id] = replies.get(parent_id, 0) + 1
        for cid, n in replies.items():
            conn.execute(update(m.Comment).where(m.Comment.id == cid).values(reply_count=n))
    tokens = []
    for i in range(POSTERS):
        uid = int(
            conn.execute(
                insert(m.User).values(
                    site_id=SITE_ID,
                    email=f"poster{i}@bench.test",
                    display_name=f"Poster {i}",
                    role="commenter",
                    is_subscriber=True,
                    banned=False,
                    premoderated=False,
                    created_at=now,
                )
            ).inserted_primary_key[0]
        )  # type: ignore[index]
        conn.execute(
            insert(m.TermsAcceptance).values(
                user_id=uid, site_id=SITE_ID, version=rules.version, accepted_at=now
            )
        )
        tokens.append(
            issue_access_token(
                secret=settings.secret_key, user_id=uid, site_id=SITE_ID, now=now, ttl=24 * 3600
            )
        )
    session.commit()
    session.close()
    engine.dispose()
    return SeedInfo(
        site_id=SITE_ID, story_ids=story_ids, tokens=tuple(tokens), accept_terms_version=None
    )
