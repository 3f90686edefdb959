"""What every reader yields, whatever the format: threads, comments and faults with their line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from belowline.comments.models import CommentStatus

BodyFormat = Literal["html", "markdown"]


@dataclass(frozen=True)
class Fault:
    """Something wrong in the file: where (a line, or a row for databases) and what."""

    line: int | None
    message: str
    where: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "message": self.message}
        if self.where:
            out["where"] = self.where
        return out

    def __str__(self) -> str:
        place = f"line {self.line}" if self.line is not None else (self.where or "file")
        return f"{place}: {self.message}"


class ImportFailed(Exception):
    """A fault in strict mode: nothing is imported."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


@dataclass(frozen=True)
class ThreadRecord:
    """A thread in the source; it becomes a story when its first comment arrives."""

    source_id: str
    identifier: str | None
    url: str
    title: str = ""
    closed: bool = False
    created_at: datetime | None = None
    premoderate: bool = False
    line: int | None = None
    where: str | None = None


@dataclass(frozen=True)
class AuthorRecord:
    """Who wrote a comment; `key` identifies them within the source."""

    key: str
    name: str
    email: str | None = None


@dataclass
class CommentRecord:
    source_id: str
    thread_source_id: str
    parent_source_id: str | None
    author: AuthorRecord
    body: str
    body_format: BodyFormat
    created_at: datetime
    status: CommentStatus = CommentStatus.PUBLISHED
    edited_at: datetime | None = None
    reaction_count: int = 0
    featured: bool = False
    moderator_edited: bool = False
    removal_reason: str | None = None
    held_reason: str | None = None
    line: int | None = None
    where: str | None = None


@dataclass(frozen=True)
class Skip:
    """A source object Belowline does not import (a pingback, say): counted, not an error."""

    line: int | None
    reason: str


Record = ThreadRecord | CommentRecord | Fault | Skip


class Reader(Protocol):
    """A streaming source: records in file order, and how far through the file it is."""

    source: str
    total: int

    def records(self) -> Iterator[Record]: ...

    def position(self) -> int: ...


ORPHAN_LIST_CAP = 10_000


@dataclass(frozen=True)
class Orphan:
    """A reply whose parent is not in the file (or is in another thread)."""

    source_id: str
    parent_source_id: str
    reason: Literal["parent missing", "parent in another thread"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "parent_source_id": self.parent_source_id,
            "reason": self.reason,
        }


@dataclass
class Summary:
    """What an import added (the contract's shape) plus what it left alone."""

    stories: int = 0
    comments: int = 0
    users: int = 0
    skipped: int = 0
    unchanged: int = 0
    orphans: int = 0
    errors: list[Fault] = field(default_factory=list)
    dry_run: bool = False
    # Each orphan (the first ORPHAN_LIST_CAP; `orphans` counts them all), kept or skipped.
    orphan_list: list[Orphan] = field(default_factory=list)
    orphans_skipped: bool = False

    def orphan(self, source_id: str, parent_source_id: str, reason: str) -> None:
        self.orphans += 1
        if len(self.orphan_list) < ORPHAN_LIST_CAP:
            self.orphan_list.append(Orphan(source_id, parent_source_id, reason))  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories,
            "comments": self.comments,
            "users": self.users,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "orphans": self.orphans,
            "orphans_action": "skipped" if self.orphans_skipped else "top-level",
            "orphan_list": [o.as_dict() for o in self.orphan_list],
            "errors": [f.as_dict() for f in self.errors],
            "dry_run": self.dry_run,
        }


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(raw: str, *, default_tz: ZoneInfo | None = None) -> datetime:
    """ISO 8601 / RFC 3339 (any fraction, Z or offset) to aware UTC; naive means `default_tz`."""
    text = _FRACTION.sub(r"\1", raw.strip()).replace(" ", "T", 1)
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz or UTC)
    return value.astimezone(UTC)


def truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes")
