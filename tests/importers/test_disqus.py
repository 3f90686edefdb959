"""Disqus XML: structure, tombstones, sanitising, time zones, idempotency, strict and lenient."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.importers.records import ImportFailed
from belowline.stories.models import Story
from tests.importers.conftest import FIXTURES, do_import, threads

GOOD = FIXTURES / "disqus.xml"
BROKEN = FIXTURES / "disqus_broken.xml"


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_imports_threads_comments_and_authors(session: Session, site: str) -> None:
    summary = do_import(session, "disqus", GOOD)
    assert summary.as_dict() | {"errors": []} == {
        "stories": 3,
        "comments": 8,
        "users": 5,
        "skipped": 1,  # the post whose thread is not in the file
        "unchanged": 0,
        "orphans": 0,
        "orphans_action": "top-level",
        "orphan_list": [],
        "errors": [],
        "dry_run": False,
    }
    got = threads(session, site)
    # The identifier where there is one; the URL's path where it is empty or unusable.
    assert set(got) == {
        "ferry-timetable-2019",
        "/sport/2019/04/rowing-club-regatta/",
        "/opinion/library-hours/",
    }
    ferry = got["ferry-timetable-2019"]
    assert [c["status"] for c in ferry] == [
        "published",
        "deleted",
        "published",
        "removed",
        "published",
    ]
    # The reply came before its parent in the file and still hangs under it.
    assert ferry[2]["parent"] == 0 and ferry[2]["depth"] == 1
    assert ferry[4]["parent"] == 1  # a reply to a tombstone keeps its place
    assert ferry[0]["reply_count"] == 1 and ferry[1]["reply_count"] == 1
    # Time zones: 09:30+01:00 is stored as 08:30 UTC.
    assert ferry[0]["created_at"] == datetime(2019, 3, 2, 8, 30, tzinfo=UTC)
    html = ferry[0]["body_html"]
    assert "<script" not in html and "alert(1)" not in html
    assert '<a href="https://council.example/ferries" rel="nofollow ugc noopener">' in html
    assert "<strong>Saturday</strong>" in ferry[2]["body_html"]
    story = session.scalar(select(Story).where(Story.external_id == "ferry-timetable-2019"))
    assert story is not None and story.comment_count == 3
    assert story.title == "Ferry timetable changes from April"
    regatta = session.scalar(
        select(Story).where(Story.external_id == "/sport/2019/04/rowing-club-regatta/")
    )
    assert regatta is not None and regatta.closed and regatta.comment_count == 1
    # Authors are plain commenters without a subscription; the same username is one user.
    users = session.scalars(select(User).where(User.site_id == site)).all()
    assert all(not u.is_subscriber and u.role == "commenter" for u in users)
    assert sorted(u.email or "" for u in users) == [
        "",
        "",
        "ewan.b@mail.example",
        "morag.lindsay@mail.example",
        "new.reader@mail.example",
    ]


def test_second_run_adds_nothing(session: Session, site: str) -> None:
    do_import(session, "disqus", GOOD)
    before = (_count(session, Comment), _count(session, User), _count(session, Story))
    again = do_import(session, "disqus", GOOD)
    assert (again.stories, again.comments, again.users, again.unchanged) == (0, 0, 0, 8)
    assert (_count(session, Comment), _count(session, User), _count(session, Story)) == before


def test_story_ids_by_path(session: Session, site: str) -> None:
    do_import(session, "disqus", GOOD, story_id="path")
    assert set(threads(session, site)) == {
        "/news/2019/03/ferry-timetable-changes/",
        "/sport/2019/04/rowing-club-regatta/",
        "/opinion/library-hours/",
    }


def test_skip_deleted_and_spam(session: Session, site: str) -> None:
    summary = do_import(session, "disqus", GOOD, skip_deleted=True)
    assert summary.comments == 6 and summary.skipped == 3
    statuses = session.scalars(select(Comment.status)).all()
    assert "deleted" not in statuses and "removed" not in statuses
    # The reply to the skipped comment stays, at the top of its thread.
    assert summary.orphans == 1


def test_strict_mode_refuses_a_broken_file_and_writes_nothing(session: Session, site: str) -> None:
    with pytest.raises(ImportFailed) as failed:
        do_import(session, "disqus", BROKEN)
    session.rollback()
    assert failed.value.fault.line == 1
    assert _count(session, Comment) == 0 and _count(session, Story) == 0


def test_lenient_mode_imports_the_well_formed_and_reports_each_fault(
    session: Session, site: str
) -> None:
    summary = do_import(session, "disqus", BROKEN, lenient=True)
    faults = [(f.line, f.message) for f in summary.errors]
    assert faults == [
        (1, "unexpected text before the XML declaration (skipped)"),
        (140, "unquoted attribute value (repaired and imported)"),
        (163, "undefined entity or bare & (repaired and imported)"),
        (171, "not well-formed XML: mismatched tag; the record is skipped"),
    ]
    assert summary.comments == 7  # the one post that cannot be repaired is left out
    names = session.scalars(select(User.display_name)).all()
    assert "New\u00a0Reader" in names  # &nbsp; read as the character it names
