"""Run one import: a reader's records through the writer, faults by mode (the caller commits)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from belowline.errors import ErrorCode, InvalidInput
from belowline.importers.disqus import DisqusReader
from belowline.importers.isso import IssoReader
from belowline.importers.jsonl import BelowlineReader
from belowline.importers.records import (
    CommentRecord,
    Fault,
    ImportFailed,
    Reader,
    Skip,
    Summary,
    ThreadRecord,
)
from belowline.importers.remark42 import Remark42Reader
from belowline.importers.threads import StoryIdMode
from belowline.importers.wordpress import WordPressReader
from belowline.importers.writer import BATCH, Writer
from belowline.stories import service as stories_service
from belowline.stories.models import Site

Format = Literal["disqus", "wordpress", "isso", "remark42", "jsonl"]
FORMATS: tuple[Format, ...] = ("disqus", "wordpress", "isso", "remark42", "jsonl")


def open_reader(fmt: Format, path: Path, *, site: Site, lenient: bool) -> Reader:
    """The streaming reader for a format."""
    if not path.is_file():
        raise InvalidInput(f"There is no file at {path}.", code=ErrorCode.VALIDATION_ERROR)
    if fmt == "disqus":
        return DisqusReader(path, lenient=lenient)
    if fmt == "wordpress":
        try:
            tz = ZoneInfo(site.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo("UTC")
        return WordPressReader(path, lenient=lenient, tz=tz)
    if fmt == "isso":
        return IssoReader(path, lenient=lenient)
    if fmt == "remark42":
        return Remark42Reader(path, lenient=lenient)
    return BelowlineReader(path, lenient=lenient)


def run_import(
    session: Session,
    *,
    site_id: str,
    reader: Reader,
    now: datetime,
    story_id: StoryIdMode = "identifier",
    skip_deleted: bool = False,
    skip_orphans: bool = False,
    lenient: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH,
) -> Summary:
    """Import everything the reader yields; strict mode raises ImportFailed at the first fault.

    Everything happens in the caller's transaction: on ImportFailed (or a dry run) the caller
    rolls back and nothing is written.
    """
    site = stories_service.get_site(session, site_id=site_id)
    summary = Summary()

    def on_fault(fault: Fault) -> None:
        if not lenient:
            raise ImportFailed(fault)
        summary.errors.append(fault)

    writer = Writer(
        session,
        site=site,
        source=reader.source,
        story_id=story_id,
        skip_deleted=skip_deleted,
        skip_orphans=skip_orphans,
        summary=summary,
        on_fault=on_fault,
        now=now,
        batch_size=batch_size,
    )
    for count, record in enumerate(reader.records()):
        if isinstance(record, CommentRecord):
            writer.comment(record)
        elif isinstance(record, ThreadRecord):
            writer.thread(record)
        elif isinstance(record, Skip):
            summary.skipped += 1
        else:
            on_fault(record)
        if progress is not None and count % 256 == 0:
            progress(reader.position(), reader.total)
    writer.finish()
    if progress is not None:
        progress(reader.total, reader.total)
    return summary
