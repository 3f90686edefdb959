"""Disqus XML export: <thread>s then <post>s, each with a dsq:id; HTML messages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from belowline.comments.models import CommentStatus
from belowline.importers.records import (
    AuthorRecord,
    CommentRecord,
    Fault,
    Record,
    ThreadRecord,
    parse_time,
    truthy,
)
from belowline.importers.xmlstream import XmlRecords, text

DISQUS = "http://disqus.com"
INTERNALS = "http://disqus.com/disqus-internals"
NS = {"d": DISQUS, "dsq": INTERNALS}
DSQ_ID = f"{{{INTERNALS}}}id"


class DisqusReader:
    source = "disqus"

    def __init__(self, path: Path, *, lenient: bool) -> None:
        self._xml = XmlRecords(path, record_tags=("thread", "post"), lenient=lenient)
        self.total = self._xml.total

    def position(self) -> int:
        return self._xml.position()

    def records(self) -> Iterator[Record]:
        for item in self._xml.elements():
            if isinstance(item, Fault):
                yield item
                continue
            line, el = item
            try:
                yield self._record(el, line)
            except (KeyError, ValueError) as exc:
                yield Fault(line, f"<{_local(el.tag)}> {exc}")

    def _record(self, el: ET.Element, line: int) -> Record:
        kind = _local(el.tag)
        source_id = el.get(DSQ_ID)
        if not source_id:
            raise KeyError("has no dsq:id")
        if kind == "thread":
            created = text(el, "d:createdAt", NS)
            return ThreadRecord(
                source_id=source_id,
                identifier=text(el, "d:id", NS) or None,
                url=text(el, "d:link", NS),
                title=text(el, "d:title", NS),
                closed=truthy(text(el, "d:isClosed", NS)),
                created_at=parse_time(created) if created else None,
                line=line,
            )
        thread = el.find("d:thread", NS)
        thread_id = thread.get(DSQ_ID) if thread is not None else None
        if not thread_id:
            raise KeyError("has no thread")
        parent = el.find("d:parent", NS)
        created = text(el, "d:createdAt", NS)
        if not created:
            raise KeyError("has no createdAt")
        status = CommentStatus.PUBLISHED
        removal_reason = None
        if truthy(text(el, "d:isDeleted", NS)):
            status = CommentStatus.DELETED
        elif truthy(text(el, "d:isSpam", NS)):
            status, removal_reason = CommentStatus.REMOVED, "Marked as spam before the import."
        elif text(el, "d:isApproved", NS).lower() == "false":
            status = CommentStatus.HELD
        email = text(el, "d:author/d:email", NS).lower() or None
        username = text(el, "d:author/d:username", NS)
        name = text(el, "d:author/d:name", NS) or username or "Reader"
        key = f"u:{username}" if username else (f"e:{email}" if email else f"n:{name}")
        message = el.find("d:message", NS)
        return CommentRecord(
            source_id=source_id,
            thread_source_id=thread_id,
            parent_source_id=(parent.get(DSQ_ID) or None) if parent is not None else None,
            author=AuthorRecord(key=key, name=name, email=email),
            body=(message.text or "") if message is not None else "",
            body_format="html",
            created_at=parse_time(created),
            status=status,
            removal_reason=removal_reason,
            held_reason="Awaiting approval before the import." if status == "held" else None,
            line=line,
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
