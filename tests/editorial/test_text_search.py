"""Searching comments by text follows edits and deletions; on PostgreSQL it uses the index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.editorial import service
from tests.cast import Cast, post


def _found(session: Session, cast: Cast, words: str) -> list[int]:
    rows = service.search(session, actor=cast.mod, site_id="gazette", text=words)
    return [c.id for c, _story, _user in rows]


def test_search_follows_inserts_edits_and_deletions(
    client: TestClient, cast: Cast, session: Session
) -> None:
    bridge = post(client, cast, cast.author, "The Bridge Street junction needs a crossing.")
    other = post(client, cast, cast.reader, "Buses on the ring road run late again.")
    assert _found(session, cast, "bridge street") == [bridge]  # any case, across words
    assert _found(session, cast, "ring") == [other]
    assert _found(session, cast, "e") == [other, bridge]  # newest first
    assert _found(session, cast, 'say "no"') == []
    session.execute(update(Comment).where(Comment.id == other).values(body_md="Trams instead."))
    session.commit()
    assert _found(session, cast, "ring road") == [] and _found(session, cast, "trams") == [other]
    session.execute(Comment.__table__.delete().where(Comment.id == bridge))
    session.commit()
    assert _found(session, cast, "crossing") == []


def test_postgresql_finds_words_through_the_trigram_index(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    query = select(Comment.id).where(Comment.body_md.ilike("%crossing%"))
    compiled = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = " ".join(row[0] for row in session.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_comments_body_trgm" in plan, plan
