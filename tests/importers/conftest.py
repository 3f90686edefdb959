"""Helpers for importer tests: a site to import into and a way to read back its threads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.importers.records import Summary
from belowline.importers.service import Format, open_reader, run_import
from belowline.stories import service as stories_service
from belowline.stories.models import Story

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime.fromisoformat("2026-11-29T12:00:00+00:00")


def make_site(session: Session, site_id: str = "courier") -> str:
    stories_service.create_site(
        session, name=site_id.title(), origins=["https://news.example"], now=NOW, site_id=site_id
    )
    session.commit()
    return site_id


def do_import(
    session: Session, fmt: Format, path: Path, *, site: str = "courier", **kwargs: Any
) -> Summary:
    site_row = stories_service.get_site(session, site_id=site)
    reader = open_reader(fmt, path, site=site_row, lenient=kwargs.get("lenient", False))
    summary = run_import(session, site_id=site, reader=reader, now=NOW, **kwargs)
    session.commit()
    return summary


def threads(session: Session, site: str) -> dict[str, list[dict[str, Any]]]:
    """Every story's comments in time order, parents named by their position (comparable)."""
    out: dict[str, list[dict[str, Any]]] = {}
    stories = session.scalars(select(Story).where(Story.site_id == site)).all()
    for story in stories:
        rows = session.execute(
            select(Comment, User.display_name)
            .join(User, User.id == Comment.author_id)
            .where(Comment.story_id == story.id)
            .order_by(Comment.created_at, Comment.id)
        ).all()
        index = {c.id: i for i, (c, _name) in enumerate(rows)}
        out[story.external_id] = [
            {
                "parent": index.get(c.parent_id) if c.parent_id else None,
                "depth": c.depth,
                "author": name,
                "status": c.status,
                "body_html": c.body_html,
                "created_at": c.created_at,
                "reply_count": c.reply_count,
            }
            for c, name in rows
        ]
    return out


@pytest.fixture
def site(session: Session) -> str:
    return make_site(session)
