"""Belowline's own JSON lines (what `belowline export --format jsonl` writes), and the line reader.

Line 1: {"type": "belowline", "version": 1, "site": …}; then {"type": "story", …} lines and
{"type": "comment", …} lines, each comment carrying its author, so the file streams.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from belowline.comments.models import CommentStatus
from belowline.importers.records import (
    AuthorRecord,
    CommentRecord,
    Fault,
    Record,
    ThreadRecord,
    parse_time,
)

FORMAT_VERSION = 1


class JsonLines:
    """Objects from a JSON-lines file with their line numbers; bad lines become faults."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = path.stat().st_size
        self._done = 0

    def position(self) -> int:
        return self._done

    def objects(self) -> Iterator[tuple[int, dict[str, Any]] | Fault]:
        with self.path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                self._done += len(raw)
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw)
                except ValueError as exc:
                    yield Fault(number, f"not valid JSON: {exc}")
                    continue
                if not isinstance(value, dict):
                    yield Fault(number, "a line must be a JSON object")
                    continue
                yield number, value


def first_object(path: Path) -> dict[str, Any]:
    """The header line (or {} when the first line is not a JSON object)."""
    with path.open("rb") as f:
        try:
            value = json.loads(f.readline() or b"{}")
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


class BelowlineReader:
    def __init__(self, path: Path, *, lenient: bool) -> None:  # noqa: ARG002 - per-line faults
        self._lines = JsonLines(path)
        self.total = self._lines.total
        head = first_object(path)
        self.source = f"jsonl:{head.get('site', '')}"[:32]

    def position(self) -> int:
        return self._lines.position()

    def records(self) -> Iterator[Record]:
        for item in self._lines.objects():
            if isinstance(item, Fault):
                yield item
                continue
            line, obj = item
            kind = obj.get("type")
            try:
                if kind == "belowline":
                    if obj.get("version") != FORMAT_VERSION:
                        yield Fault(line, f"unsupported export version {obj.get('version')!r}")
                        return
                elif kind == "story":
                    yield _story(obj, line)
                elif kind == "comment":
                    yield _comment(obj, line)
                else:
                    yield Fault(line, f"unknown line type {kind!r}")
            except (KeyError, TypeError, ValueError) as exc:
                yield Fault(line, f"bad {kind} line: {exc!r}")


def _story(obj: dict[str, Any], line: int) -> ThreadRecord:
    return ThreadRecord(
        source_id=str(obj["id"]),
        identifier=str(obj["id"]),
        url=str(obj.get("url") or ""),
        title=str(obj.get("title") or ""),
        closed=bool(obj.get("closed", False)),
        premoderate=bool(obj.get("premoderate", False)),
        created_at=parse_time(obj["created_at"]) if obj.get("created_at") else None,
        line=line,
    )


def _comment(obj: dict[str, Any], line: int) -> CommentRecord:
    author = obj["author"]
    email = (author.get("email") or "").strip().lower() or None
    parent = obj.get("parent_id")
    return CommentRecord(
        source_id=str(obj["id"]),
        thread_source_id=str(obj["story_id"]),
        parent_source_id=str(parent) if parent is not None else None,
        author=AuthorRecord(
            key=f"id:{author['id']}", name=str(author.get("display_name") or ""), email=email
        ),
        body=str(obj.get("body_md") or ""),
        body_format="markdown",
        created_at=parse_time(obj["created_at"]),
        edited_at=parse_time(obj["edited_at"]) if obj.get("edited_at") else None,
        status=CommentStatus(obj.get("status", "published")),
        reaction_count=int(obj.get("reaction_count") or 0),
        featured=bool(obj.get("featured", False)),
        moderator_edited=bool(obj.get("moderator_edited", False)),
        removal_reason=obj.get("removal_reason"),
        held_reason=obj.get("held_reason"),
        line=line,
    )
