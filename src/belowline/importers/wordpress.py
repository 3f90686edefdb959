"""WordPress WXR 1.2 (also 1.0/1.1): <item>s (posts) carrying their <wp:comment>s."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from belowline.comments.models import CommentStatus
from belowline.importers.records import (
    AuthorRecord,
    CommentRecord,
    Fault,
    Record,
    Skip,
    ThreadRecord,
    parse_time,
)
from belowline.importers.xmlstream import XmlRecords, text

_STATUS = {
    "1": CommentStatus.PUBLISHED,
    "approve": CommentStatus.PUBLISHED,
    "0": CommentStatus.HELD,
    "hold": CommentStatus.HELD,
    "spam": CommentStatus.REMOVED,
    "trash": CommentStatus.DELETED,
    "post-trashed": CommentStatus.DELETED,
}
_NO_DATE = "0000-00-00 00:00:00"


class WordPressReader:
    source = "wordpress"

    def __init__(self, path: Path, *, lenient: bool, tz: ZoneInfo) -> None:
        # In lenient mode a broken <wp:comment> costs only itself, not its post's other comments.
        self._xml = XmlRecords(path, record_tags=("item",), lenient=lenient, salvage="wp:comment")
        self.total = self._xml.total
        self._tz = tz
        self._ns: dict[str, str] = {}

    def position(self) -> int:
        return self._xml.position()

    def records(self) -> Iterator[Record]:
        for item in self._xml.elements():
            if isinstance(item, Fault):
                yield item
                continue
            line, el = item
            if not self._ns:
                self._ns = {"wp": _wp_namespace(el)}
            yield from self._item(el, line)

    def _item(self, el: ET.Element, line: int) -> Iterator[Record]:
        ns = self._ns
        comments = el.findall("wp:comment", ns)
        if not comments:
            return
        post_id = text(el, "wp:post_id", ns)
        if not post_id:
            yield Fault(line, "<item> with comments has no wp:post_id")
            return
        yield ThreadRecord(
            source_id=post_id,
            identifier=post_id,
            url=text(el, "link", ns),
            title=text(el, "title", ns),
            closed=text(el, "wp:comment_status", ns) == "closed",
            line=line,
        )
        for c in comments:
            try:
                yield self._comment(c, post_id, line)
            except ValueError as exc:
                yield Fault(line, f"<wp:comment> in post {post_id}: {exc}")

    def _comment(self, c: ET.Element, post_id: str, line: int) -> Record:
        ns = self._ns
        cid = text(c, "wp:comment_id", ns)
        if not cid:
            raise ValueError("has no wp:comment_id")
        kind = text(c, "wp:comment_type", ns)
        if kind in ("pingback", "trackback"):
            return Skip(line, f"{kind} {cid}")
        approved = text(c, "wp:comment_approved", ns) or "1"
        status = _STATUS.get(approved)
        if status is None:
            raise ValueError(f"comment {cid} has an unknown status {approved!r}")
        gmt = text(c, "wp:comment_date_gmt", ns)
        local = text(c, "wp:comment_date", ns)
        if gmt and gmt != _NO_DATE:
            created = parse_time(gmt)
        elif local and local != _NO_DATE:
            created = parse_time(local, default_tz=self._tz)
        else:
            raise ValueError(f"comment {cid} has no date")
        parent = text(c, "wp:comment_parent", ns)
        email = text(c, "wp:comment_author_email", ns).lower() or None
        name = text(c, "wp:comment_author", ns) or "Reader"
        return CommentRecord(
            source_id=cid,
            thread_source_id=post_id,
            parent_source_id=parent if parent not in ("", "0") else None,
            author=AuthorRecord(key=f"e:{email}" if email else f"n:{name}", name=name, email=email),
            body=text(c, "wp:comment_content", ns),
            body_format="html",
            created_at=created,
            status=status,
            removal_reason="Marked as spam before the import." if status == "removed" else None,
            held_reason="Awaiting approval before the import." if status == "held" else None,
            line=line,
        )


def _wp_namespace(item: ET.Element) -> str:
    """WXR 1.0, 1.1 and 1.2 differ only in the wp namespace's version."""
    for child in item:
        namespace = child.tag[1:].split("}", 1)[0]
        if re.fullmatch(r"http://wordpress\.org/export/1\.\d/", namespace):
            return namespace
    return "http://wordpress.org/export/1.2/"
