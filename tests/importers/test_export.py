"""Export → import into a fresh site gives the same threads (JSON lines and Disqus XML)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.importers.export import export_disqus, export_jsonl
from tests.importers.conftest import FIXTURES, NOW, do_import, make_site, threads


def _source_site(session: Session) -> str:
    site = make_site(session, "courier")
    do_import(session, "disqus", FIXTURES / "disqus.xml")
    do_import(session, "wordpress", FIXTURES / "wordpress.xml")
    # Moderation state and reactions that only Belowline knows.
    first = session.scalars(select(Comment).order_by(Comment.id)).first()
    assert first is not None
    session.execute(
        update(Comment).where(Comment.id == first.id).values(reaction_count=7, featured=True)
    )
    session.commit()
    return site


def test_jsonl_round_trip(session: Session, tmp_path: Path) -> None:
    source = _source_site(session)
    out = tmp_path / "courier.jsonl"
    with out.open("w", encoding="utf-8") as f:
        counts = export_jsonl(session, site_id=source, out=f, now=NOW)
    assert counts == {"stories": 5, "comments": 13}
    make_site(session, "fresh")
    summary = do_import(session, "jsonl", out, site="fresh")
    assert (summary.stories, summary.comments, summary.errors) == (5, 13, [])
    assert threads(session, "fresh") == threads(session, source)
    copied = session.scalar(
        select(Comment).where(Comment.site_id == "fresh", Comment.featured.is_(True))
    )
    assert copied is not None and copied.reaction_count == 7
    again = do_import(session, "jsonl", out, site="fresh")
    assert (again.comments, again.unchanged) == (0, 13)


def test_disqus_round_trip_and_shape(session: Session, tmp_path: Path) -> None:
    source = _source_site(session)
    buffer = io.StringIO()
    export_disqus(session, site_id=source, out=buffer)
    xml = buffer.getvalue()
    # What other systems' Disqus importers read (e.g. Isso's and Remark42's).
    root = ET.fromstring(xml)  # noqa: S314 - our own export
    ns = {"d": "http://disqus.com", "dsq": "http://disqus.com/disqus-internals"}
    posts = root.findall("d:post", ns)
    assert len(root.findall("d:thread", ns)) == 5 and len(posts) == 13
    for post in posts:
        created = post.findtext("d:createdAt", namespaces=ns) or ""
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
        assert post.find("d:thread", ns) is not None
        assert post.findtext("d:author/d:name", namespaces=ns)
    make_site(session, "copy")
    path = tmp_path / "copy.xml"
    path.write_text(xml, encoding="utf-8")
    summary = do_import(session, "disqus", path, site="copy")
    assert (summary.stories, summary.comments, summary.errors) == (5, 13, [])

    def shape(site: str) -> dict[str, list[tuple[object, ...]]]:
        return {
            story: [(c["parent"], c["depth"], c["author"], c["created_at"]) for c in comments]
            for story, comments in threads(session, site).items()
        }

    assert shape("copy") == shape(source)
    published = [
        c["body_html"]
        for comments in threads(session, "copy").values()
        for c in comments
        if c["status"] == "published"
    ]
    original = [
        c["body_html"]
        for comments in threads(session, source).values()
        for c in comments
        if c["status"] == "published"
    ]
    assert sorted(published) == sorted(original)
