"""WordPress WXR 1.2, Isso's database and Remark42's backup, each from a realistic fixture."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.stories.models import Story
from tests.importers.conftest import FIXTURES, do_import, threads


def test_wordpress_wxr(session: Session, site: str) -> None:
    summary = do_import(session, "wordpress", FIXTURES / "wordpress.xml")
    assert (summary.stories, summary.comments, summary.users) == (2, 5, 3)
    assert summary.skipped == 1  # the pingback
    got = threads(session, site)
    assert set(got) == {"212", "240"}  # posts without comments make no story
    bypass = got["212"]
    assert [(c["author"], c["status"], c["parent"], c["depth"]) for c in bypass] == [
        ("Gwen Pritchard", "published", None, 0),
        ("Tomos Rees", "published", 0, 1),
        ("cheap-pills", "removed", None, 0),
        ("Gwen Pritchard", "held", 1, 2),
    ]
    # No GMT date: the local time is read in the site's zone (London, summer time).
    assert bypass[1]["created_at"] == datetime(2024, 6, 4, 9, 30, tzinfo=UTC)
    assert "<p>The eastern route cuts through the water meadows.</p>" in bypass[0]["body_html"]
    assert "<em>Really</em>" in bypass[0]["body_html"]
    assert got["240"][0]["status"] == "deleted"  # trashed
    market = session.scalar(select(Story).where(Story.external_id == "240"))
    assert market is not None and market.closed and market.title == "Market hall reopens"
    # One email, one reader, whatever its case.
    emails = session.scalars(select(User.email).where(User.site_id == site)).all()
    assert sorted(e or "" for e in emails) == [
        "gwen.p@mail.example",
        "tomos@mail.example",
        "x@spam.example",
    ]
    again = do_import(session, "wordpress", FIXTURES / "wordpress.xml")
    assert (again.comments, again.unchanged) == (0, 5)


def _isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "comments.db"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "isso.sql").read_text())
    db.commit()
    db.close()
    return path


def test_isso_database(session: Session, site: str, tmp_path: Path) -> None:
    summary = do_import(session, "isso", _isso_db(tmp_path))
    assert (summary.stories, summary.comments, summary.users, summary.skipped) == (2, 5, 4, 1)
    got = threads(session, site)
    harbour = got["/2023/02/harbour-wall-repairs/"]
    assert [(c["author"], c["status"], c["depth"]) for c in harbour] == [
        ("Iain MacLeod", "published", 0),
        ("Anonymous", "published", 1),
        ("Iain MacLeod", "deleted", 2),
        ("Shona", "published", 3),
    ]
    assert harbour[0]["created_at"] == datetime(2023, 2, 24, 11, 0, 0, 500000, tzinfo=UTC)
    assert "<em>crumbling</em>" in harbour[0]["body_html"]
    first = session.scalar(select(Comment).order_by(Comment.created_at))
    assert first is not None and first.reaction_count == 4
    second = session.scalars(select(Comment).order_by(Comment.created_at)).all()[1]
    assert second.edited_at == datetime(2023, 2, 24, 12, 5, tzinfo=UTC)
    assert got["/2023/03/school-bus-routes/"][0]["status"] == "held"


def test_isso_rejects_a_file_that_is_not_its_database(session: Session, site: str) -> None:
    import pytest

    from belowline.importers.records import ImportFailed

    with pytest.raises(ImportFailed, match="not an Isso database"):
        do_import(session, "isso", FIXTURES / "wordpress.xml")


def test_remark42_backup(session: Session, site: str) -> None:
    summary = do_import(session, "remark42", FIXTURES / "remark42.jsonl")
    assert (summary.stories, summary.comments, summary.users) == (2, 4, 3)
    got = threads(session, site)
    heat = got["/2022/08/heatwave-water-rules/"]
    assert [(c["author"], c["status"], c["parent"]) for c in heat] == [
        ("Dafydd", "published", None),
        ("Rhiannon", "published", 0),
        ("Rhiannon", "deleted", 0),
    ]
    assert heat[0]["created_at"] == datetime(2022, 8, 10, 13, 3, 7, 123456, tzinfo=UTC)
    assert '<a href="https://water.example/rules"' in heat[0]["body_html"]
    story = session.scalar(
        select(Story).where(Story.external_id == "/2022/08/heatwave-water-rules/")
    )
    assert story is not None and story.closed  # read-only in Remark42
    pinned = session.scalar(select(Comment).where(Comment.featured.is_(True)))
    assert pinned is not None and pinned.reaction_count == 3
    assert session.scalar(select(Comment.reaction_count).where(Comment.edited_at.is_not(None))) == 0


def test_an_imported_author_becomes_the_sso_account_with_their_email(
    session: Session, site: str
) -> None:
    from belowline.accounts import service as accounts_service
    from belowline.accounts.sso import PublisherIdentity

    do_import(session, "disqus", FIXTURES / "disqus.xml")
    imported = session.scalar(select(User).where(User.email == "ewan.b@mail.example"))
    assert imported is not None and imported.external_id is None
    signed_in = accounts_service.upsert_sso_user(
        session,
        site_id=site,
        identity=PublisherIdentity(
            external_id="reader-42",
            display_name="Ewan B",
            email="Ewan.B@mail.example",
            subscriber=True,
            subscription_expires_at=None,
        ),
        now=datetime(2026, 11, 29, tzinfo=UTC),
    )
    assert signed_in.id == imported.id and signed_in.external_id == "reader-42"
    assert session.scalar(select(Comment.author_id).where(Comment.author_id == imported.id))
