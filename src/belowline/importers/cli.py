"""`belowline import FORMAT FILE --site SITE` and `belowline export`, registered by cli.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from sqlalchemy import text
from sqlalchemy.orm import Session

from belowline.clock import system_clock
from belowline.db import make_engine, make_sessionmaker
from belowline.importers.records import ImportFailed, Summary
from belowline.importers.service import FORMATS, Format, open_reader, run_import
from belowline.settings import Settings

import_app = typer.Typer(
    help="Import comments from Disqus, WordPress, Isso, Remark42 or Belowline.",
    no_args_is_help=True,
)
console = Console(stderr=True)
LARGE = 1 << 20  # show a progress bar from 1 MB up

FileArg = Annotated[Path, typer.Argument(help="The export file (Isso: its SQLite database).")]
ORPHANS_SHOWN = 50
SiteOpt = Annotated[str, typer.Option(help="Site id to import into.")]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Report what would be added; write nothing.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]
StoryOpt = Annotated[
    str,
    typer.Option(
        "--story-id",
        help="Story ids from the source's identifier (default), the URL's path, or the URL.",
    ),
]
SkipDeleted = Annotated[
    bool,
    typer.Option("--skip-deleted", help="Skip deleted and spam comments (default: tombstones)."),
]
SkipOrphans = Annotated[
    bool,
    typer.Option(
        "--skip-orphans",
        help="Leave out replies whose parent is missing, with their replies (default: top-level).",
    ),
]
Lenient = Annotated[
    bool, typer.Option("--lenient", help="Import what is well-formed; report each fault.")
]


def _session() -> Session:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    session = make_sessionmaker(make_engine(settings.effective_database_url))()
    if session.get_bind().dialect.name == "sqlite":
        # One long transaction: a 64 MB page cache keeps SQLite from rewriting spilled pages.
        session.execute(text("PRAGMA cache_size=-65536"))
    return session


def _progress(size: int, *, rows: bool) -> Progress:
    columns = (
        [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        if rows
        else [
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        ]
    )
    return Progress(*columns, console=console, disable=size < LARGE and not rows, transient=False)


def _report(summary: Summary, *, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(summary.as_dict()) + "\n")
        return
    verb = "Would add" if summary.dry_run else "Added"
    sys.stdout.write(
        f"{verb} {summary.stories} stories, {summary.comments} comments, {summary.users} users; "
        f"skipped {summary.skipped}, already imported {summary.unchanged}, "
        f"replies without their parent {summary.orphans}.\n"
    )
    for fault in summary.errors:
        sys.stdout.write(f"  {fault}\n")
    if summary.orphans:
        what = "skipped with their replies" if summary.orphans_skipped else "kept as top-level"
        sys.stdout.write(f"Replies without their parent ({what}):\n")
        for orphan in summary.orphan_list[:ORPHANS_SHOWN]:
            sys.stdout.write(f"  {orphan.source_id}: {orphan.reason} ({orphan.parent_source_id})\n")
        if summary.orphans > ORPHANS_SHOWN:
            more = summary.orphans - ORPHANS_SHOWN
            sys.stdout.write(f"  … and {more} more (--json lists them)\n")


def _run(
    fmt: Format,
    file: Path,
    *,
    site: str,
    dry_run: bool,
    as_json: bool,
    story_id: str,
    skip_deleted: bool,
    lenient: bool,
    skip_orphans: bool = False,
) -> None:
    from belowline.stories import service as stories_service

    if story_id not in ("identifier", "path", "url"):
        console.print("[red]--story-id is one of: identifier, path, url.[/red]")
        raise typer.Exit(code=2)
    session = _session()
    try:
        site_row = stories_service.get_site(session, site_id=site)
        reader = open_reader(fmt, file, site=site_row, lenient=lenient)
        size = file.stat().st_size
        with _progress(size, rows=fmt == "isso") as bar:
            task = bar.add_task(f"Importing {file.name}", total=reader.total or None)
            summary = run_import(
                session,
                site_id=site,
                reader=reader,
                now=system_clock(),
                story_id=story_id,  # type: ignore[arg-type]
                skip_deleted=skip_deleted,
                skip_orphans=skip_orphans,
                lenient=lenient,
                progress=lambda done, total: bar.update(task, completed=done, total=total or None),
            )
    except ImportFailed as failed:
        session.rollback()
        console.print(f"[red]Nothing was imported.[/red] {failed.fault}")
        if as_json:
            sys.stdout.write(
                json.dumps({"imported": False, "errors": [failed.fault.as_dict()]}) + "\n"
            )
        raise typer.Exit(code=1) from None
    summary.dry_run = dry_run
    if dry_run:
        session.rollback()
    else:
        session.commit()
    session.close()
    _report(summary, as_json=as_json)


def _command(fmt: Format) -> None:
    def command(
        file: FileArg,
        site: SiteOpt,
        dry_run: DryRun = False,
        as_json: AsJson = False,
        story_id: StoryOpt = "identifier",
        skip_deleted: SkipDeleted = False,
        lenient: Lenient = False,
        skip_orphans: SkipOrphans = False,
    ) -> None:
        _run(
            fmt,
            file,
            site=site,
            dry_run=dry_run,
            as_json=as_json,
            story_id=story_id,
            skip_deleted=skip_deleted,
            lenient=lenient,
            skip_orphans=skip_orphans,
        )

    command.__doc__ = f"Import a {fmt} export into a site (idempotent: a second run adds nothing)."
    import_app.command(fmt)(command)


for _fmt in FORMATS:
    _command(_fmt)


def export(
    site: SiteOpt,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (lossless) or disqus.")] = "jsonl",
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Export every story and comment of a site (re-importable)."""
    from belowline.importers.export import export_disqus, export_jsonl

    if fmt not in ("jsonl", "disqus"):
        console.print("[red]--format is jsonl or disqus.[/red]")
        raise typer.Exit(code=2)
    session = _session()
    stream = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        if fmt == "jsonl":
            counts = export_jsonl(session, site_id=site, out=stream, now=system_clock())
        else:
            counts = export_disqus(session, site_id=site, out=stream)
    finally:
        if out:
            stream.close()
        session.close()
    console.print(f"Exported {counts['stories']} stories and {counts['comments']} comments.")


def register(app: typer.Typer) -> None:
    """Add `import …` and `export` to the main command line."""
    app.add_typer(import_app, name="import")
    app.command("export")(export)
