"""Searching comments by text goes through the text index and follows edits and deletions."""

from __future__ import annotations

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
    assert _found(session, cast, "e") == sorted([bridge, other], reverse=True)  # short: a scan
    assert _found(session, cast, 'say "no"') == []  # quotes are text, not query syntax
    session.execute(update(Comment).where(Comment.id == other).values(body_md="Trams instead."))
    session.commit()
    assert _found(session, cast, "ring road") == [] and _found(session, cast, "trams") == [other]
    session.execute(Comment.__table__.delete().where(Comment.id == bridge))
    session.commit()
    assert _found(session, cast, "crossing") == []


def test_the_search_uses_the_index(session: Session, cast: Cast) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        names = session.scalars(text("SELECT name FROM sqlite_master WHERE type='trigger'")).all()
        assert {"comment_search_insert", "comment_search_update"} <= set(names)
        condition = service.text_search.contains_words(session, "crossing")
        plan = " ".join(
            str(row[-1])
            for row in session.execute(
                text(
                    "EXPLAIN QUERY PLAN "
                    + str(
                        select(Comment.id)
                        .where(condition)
                        .compile(session.get_bind(), compile_kwargs={"literal_binds": True})
                    )
                )
            )
        )
        assert "comment_search VIRTUAL TABLE INDEX" in plan, plan
    else:
        indexes = session.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'comments'")
        ).all()
        assert "ix_comments_body_trgm" in indexes
