"""Isso's SQLite database: threads(id, uri, title) and comments(tid, id, parent, created, …)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from belowline.comments.models import CommentStatus
from belowline.importers.records import AuthorRecord, CommentRecord, Fault, Record, ThreadRecord

_MODES = {1: CommentStatus.PUBLISHED, 2: CommentStatus.HELD, 4: CommentStatus.DELETED}


class IssoReader:
    source = "isso"

    def __init__(self, path: Path, *, lenient: bool) -> None:  # noqa: ARG002 - rows, not text
        self.path = path
        self.total = 0
        self._done = 0

    def position(self) -> int:
        return self._done

    def records(self) -> Iterator[Record]:
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            db.execute("SELECT id, uri, title FROM threads LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            yield Fault(None, f"not an Isso database: {exc}", where="file")
            return
        try:
            self.total = (
                db.execute("SELECT count(*) FROM threads").fetchone()[0]
                + db.execute("SELECT count(*) FROM comments").fetchone()[0]
            )
            for tid, uri, title in db.execute("SELECT id, uri, title FROM threads ORDER BY id"):
                self._done += 1
                yield ThreadRecord(
                    source_id=str(tid),
                    identifier=uri,
                    url=uri or "",
                    title=title or "",
                    where=f"threads.id {tid}",
                )
            yield from self._comments(db)
        finally:
            db.close()

    def _comments(self, db: sqlite3.Connection) -> Iterator[Record]:
        cursor = db.execute(
            "SELECT tid, id, parent, created, modified, mode, text, author, email, likes "
            "FROM comments ORDER BY id"
        )
        for tid, cid, parent, created, modified, mode, text, author, email, likes in cursor:
            self._done += 1
            where = f"comments.id {cid}"
            try:
                status = _MODES[int(mode)]
                created_at = datetime.fromtimestamp(float(created), tz=UTC)
                edited_at = datetime.fromtimestamp(float(modified), tz=UTC) if modified else None
            except (KeyError, TypeError, ValueError, OverflowError):
                yield Fault(None, f"comment {cid} has a bad mode or date", where=where)
                continue
            name = (author or "").strip() or "Anonymous"
            mail = (email or "").strip().lower() or None
            yield CommentRecord(
                source_id=str(cid),
                thread_source_id=str(tid),
                parent_source_id=str(parent) if parent is not None else None,
                author=AuthorRecord(
                    key=f"e:{mail}" if mail else f"n:{name}", name=name, email=mail
                ),
                body=text or "",
                body_format="markdown",
                created_at=created_at,
                edited_at=edited_at,
                status=status,
                reaction_count=int(likes or 0),
                where=where,
            )
