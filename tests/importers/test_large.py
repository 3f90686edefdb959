"""A generated Disqus export (small count here; bench/disqus_export.py makes 200,000)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.disqus_export import write
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.stories.models import Story
from tests.importers.conftest import do_import


@pytest.mark.slow
def test_generated_export_imports_in_small_batches(
    session: Session, site: str, tmp_path: Path
) -> None:
    path = tmp_path / "gen.xml"
    write(path, comments=3000)
    seen: list[int] = []
    summary = do_import(
        session, "disqus", path, batch_size=200, progress=lambda done, _total: seen.append(done)
    )
    assert summary.comments + summary.skipped == 3000 and summary.stories == 30
    assert seen == sorted(seen) and len(seen) > 5
    total = session.scalar(select(func.sum(Story.comment_count)))
    published = session.scalar(
        select(func.count()).select_from(Comment).where(Comment.status == "published")
    )
    assert total == published
    # Every reply sits one level below its parent, in the same thread.
    bad = session.scalar(
        select(func.count())
        .select_from(Comment)
        .join(Parent := Comment.__table__.alias("p"), Parent.c.id == Comment.parent_id)
        .where((Parent.c.depth + 1 != Comment.depth) | (Parent.c.story_id != Comment.story_id))
    )
    assert bad == 0


def test_a_batch_is_a_few_statements_not_one_per_comment(
    session: Session, site: str, tmp_path: Path
) -> None:
    """A batch goes in as one executemany: the ORM's grouping and SQLite's RETURNING order had
    made it one statement per comment (and a 1 GB export hours long)."""
    path = tmp_path / "gen.xml"
    write(path, comments=600)
    statements: list[int] = []

    def count(*_args: object) -> None:
        statements.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        summary = do_import(session, "disqus", path, batch_size=300)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert summary.comments + summary.skipped == 600
    # Per batch: a known-ids lookup, parents, authors, users, comment waves, import records;
    # plus one lookup and insert per story, and the recount at the end.
    assert len(statements) < 150, len(statements)
    ids = session.scalars(select(Comment.id).order_by(Comment.id)).all()
    assert len(ids) == len(set(ids)) == summary.comments
