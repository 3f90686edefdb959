"""Remark42's backup (JSON lines): a header {"version": 1, "users", "posts"}, then comments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from belowline.comments.models import CommentStatus
from belowline.importers.jsonl import JsonLines
from belowline.importers.records import (
    AuthorRecord,
    CommentRecord,
    Fault,
    Record,
    ThreadRecord,
    parse_time,
)


class Remark42Reader:
    source = "remark42"

    def __init__(self, path: Path, *, lenient: bool) -> None:  # noqa: ARG002 - per-line faults
        self._lines = JsonLines(path)
        self.total = self._lines.total
        self._read_only: set[str] = set()
        self._seen: set[str] = set()

    def position(self) -> int:
        return self._lines.position()

    def records(self) -> Iterator[Record]:
        for item in self._lines.objects():
            if isinstance(item, Fault):
                yield item
                continue
            line, obj = item
            if "version" in obj and "id" not in obj:
                if obj["version"] != 1:
                    yield Fault(line, f"unsupported Remark42 backup version {obj['version']!r}")
                    return
                for post in obj.get("posts") or []:
                    if isinstance(post, dict) and post.get("read_only"):
                        self._read_only.add(str(post.get("url")))
                continue
            try:
                yield from self._comment(obj, line)
            except (KeyError, TypeError, ValueError) as exc:
                yield Fault(line, f"bad comment: {exc!r}")

    def _comment(self, obj: dict[str, Any], line: int) -> Iterator[Record]:
        url = str(obj["locator"]["url"])
        if url not in self._seen:
            self._seen.add(url)
            yield ThreadRecord(
                source_id=url,
                identifier=None,
                url=url,
                title=str(obj.get("title") or ""),
                closed=url in self._read_only,
                line=line,
            )
        user = obj.get("user") or {}
        name = str(user.get("name") or "Reader")
        markdown = obj.get("orig")
        edit = obj.get("edit") or {}
        yield CommentRecord(
            source_id=str(obj["id"]),
            thread_source_id=url,
            parent_source_id=str(obj["pid"]) if obj.get("pid") else None,
            author=AuthorRecord(key=f"id:{user.get('id') or name}", name=name),
            body=str(markdown if markdown else obj.get("text") or ""),
            body_format="markdown" if markdown else "html",
            created_at=parse_time(str(obj["time"])),
            edited_at=parse_time(str(edit["time"])) if edit.get("time") else None,
            status=CommentStatus.DELETED if obj.get("delete") else CommentStatus.PUBLISHED,
            reaction_count=max(0, int(obj.get("score") or 0)),
            featured=bool(obj.get("pinned", False)),
            line=line,
        )
