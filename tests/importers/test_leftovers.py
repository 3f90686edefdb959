"""Lenient WXR keeps a post's good comments when one is broken; orphans counted and listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.importers.models import ImportRecord
from belowline.importers.records import ImportFailed
from tests.importers.conftest import FIXTURES, do_import

BROKEN_TAG = "<wp:comment_author_url></wp:comment_autor_url>"


def _broken_wxr(tmp_path: Path) -> tuple[Path, int]:
    """The WXR fixture with comment 902 beyond repair (a mismatched closing tag)."""
    text = (FIXTURES / "wordpress.xml").read_text("utf-8")
    good = "<wp:comment_author_url></wp:comment_author_url>"
    assert text.count(good) >= 1
    text = text.replace(good, BROKEN_TAG, 1)
    path = tmp_path / "broken.xml"
    path.write_text(text, "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if BROKEN_TAG in row)
    return path, line


def _ids(session: Session) -> set[str]:
    return set(
        session.scalars(select(ImportRecord.source_id).where(ImportRecord.kind == "comment")).all()
    )


def test_strict_mode_refuses_the_broken_comment_with_its_line(
    session: Session, site: str, tmp_path: Path
) -> None:
    path, line = _broken_wxr(tmp_path)
    with pytest.raises(ImportFailed) as failed:
        do_import(session, "wordpress", path)
    assert failed.value.fault.line == line
    session.rollback()
    assert session.scalars(select(Comment.id)).all() == []


def test_lenient_wxr_loses_only_the_broken_comment(
    session: Session, site: str, tmp_path: Path
) -> None:
    path, line = _broken_wxr(tmp_path)
    summary = do_import(session, "wordpress", path, lenient=True)
    # The fixture's five comments (903 is a pingback) less the broken 902, whose reply 905
    # has lost its parent.
    assert summary.comments == 4
    assert _ids(session) == {"901", "904", "905", "950"}
    assert [(f.line, "this comment is skipped" in f.message) for f in summary.errors] == [
        (line, True)
    ]
    assert summary.orphans == 1
    assert [o.as_dict() for o in summary.orphan_list] == [
        {"source_id": "905", "parent_source_id": "902", "reason": "parent missing"}
    ]
    orphan = session.scalar(
        select(Comment)
        .join(ImportRecord, ImportRecord.target_id == Comment.id)
        .where(ImportRecord.kind == "comment", ImportRecord.source_id == "905")
    )
    assert orphan is not None and orphan.parent_id is None and orphan.depth == 0
    # Idempotent: a second lenient run adds nothing.
    again = do_import(session, "wordpress", path, lenient=True)
    assert again.comments == 0 and again.unchanged == 4


DISQUS_ORPHANS = """<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><id>bridge</id><link>https://courier.example/news/bridge/</link>
    <title>Bridge</title></thread>
{posts}
</disqus>
"""
POST = """  <post dsq:id="{id}"><message><![CDATA[<p>Comment {id}</p>]]></message>
    <createdAt>2024-05-0{day}T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>r{id}@mail.example</email><name>Reader {id}</name></author>
    <thread dsq:id="1" />{parent}</post>
"""


def _orphan_file(tmp_path: Path) -> Path:
    """10 is top-level; 11 replies to 10; 20 replies to 99 (not in the file); 21 replies to 20,
    22 to 21 (the orphan's subtree)."""
    tree = [("10", None), ("11", "10"), ("20", "99"), ("21", "20"), ("22", "21")]
    posts = "".join(
        POST.format(id=cid, day=i + 1, parent=f'<parent dsq:id="{parent}" />' if parent else "")
        for i, (cid, parent) in enumerate(tree)
    )
    path = tmp_path / "orphans.xml"
    path.write_text(DISQUS_ORPHANS.format(posts=posts), "utf-8")
    return path


def test_orphans_are_kept_top_level_and_listed(session: Session, site: str, tmp_path: Path) -> None:
    summary = do_import(session, "disqus", _orphan_file(tmp_path))
    assert summary.comments == 5 and summary.orphans == 1
    out = summary.as_dict()
    assert out["orphans_action"] == "top-level"
    assert out["orphan_list"] == [
        {"source_id": "20", "parent_source_id": "99", "reason": "parent missing"}
    ]
    rows = session.execute(
        select(ImportRecord.source_id, Comment.depth)
        .join(Comment, Comment.id == ImportRecord.target_id)
        .where(ImportRecord.kind == "comment")
    ).all()
    depth = {str(sid): int(d) for sid, d in rows}
    assert depth == {"10": 0, "11": 1, "20": 0, "21": 1, "22": 2}


def test_skip_orphans_leaves_out_the_orphan_and_its_replies(
    session: Session, site: str, tmp_path: Path
) -> None:
    path = _orphan_file(tmp_path)
    summary = do_import(session, "disqus", path, skip_orphans=True)
    assert summary.orphans == 1 and summary.as_dict()["orphans_action"] == "skipped"
    assert summary.comments == 2 and summary.skipped == 3
    assert _ids(session) == {"10", "11"}
    assert len(session.scalars(select(Comment.id)).all()) == 2
    again = do_import(session, "disqus", path, skip_orphans=True)
    assert again.comments == 0 and again.unchanged == 2
    assert len(session.scalars(select(Comment.id)).all()) == 2
