"""Maps threads, authors and comments into Belowline's tables in batches, keeping source ids.

Memory stays bounded by the batch (plus one small entry per thread): authors and parents are
looked up per batch in the database, rows go in as one executemany per batch (`insert_ids`), and the
ORM never holds the comments. A reply read before its parent is stored as top-level with the
parent's source id noted; `finish` links it once the whole file has been read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.rendering import clean_text, render_markdown
from belowline.importers import threads
from belowline.importers.html import html_to_markdown
from belowline.importers.models import ImportRecord
from belowline.importers.records import CommentRecord, Fault, Summary, ThreadRecord
from belowline.importers.threads import StoryIdMode, resolve_story
from belowline.stories.models import Site

BATCH = 1000
_GONE = (CommentStatus.DELETED, CommentStatus.REMOVED)
_USER_CACHE = 50_000


class Writer:
    """Receives records in file order; writes them a batch at a time (never commits)."""

    def __init__(
        self,
        session: Session,
        *,
        site: Site,
        source: str,
        story_id: StoryIdMode,
        skip_deleted: bool,
        summary: Summary,
        skip_orphans: bool = False,
        on_fault: Callable[[Fault], None],
        now: datetime,
        batch_size: int = BATCH,
    ) -> None:
        self.session = session
        self.site = site
        self.source = source[:32]
        self.story_id = story_id
        self.skip_deleted = skip_deleted
        self.skip_orphans = skip_orphans
        self.summary = summary
        self.on_fault = on_fault
        self.now = now
        self.batch_size = batch_size
        self.threads: dict[str, ThreadRecord] = {}
        self.stories: dict[str, int | None] = {}
        self.touched: set[int] = set()
        self.users: dict[str, int] = {}
        self.batch: list[CommentRecord] = []

    def thread(self, record: ThreadRecord) -> None:
        self.threads.setdefault(record.source_id, record)

    def comment(self, record: CommentRecord) -> None:
        if self.skip_deleted and record.status in _GONE:
            self.summary.skipped += 1
            return
        self.batch.append(record)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def finish(self) -> None:
        """Write the last batch, link late parents, and recount every touched thread."""
        self.flush()
        threads.link_late_parents(
            self.session,
            site_id=self.site.id,
            source=self.source,
            summary=self.summary,
            skip=self.skip_orphans,
        )
        threads.recount(self.session, story_ids=self.touched)

    # -- one batch ---------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        known = set(
            self.session.scalars(
                select(ImportRecord.source_id).where(
                    ImportRecord.site_id == self.site.id,
                    ImportRecord.source == self.source,
                    ImportRecord.kind == "comment",
                    ImportRecord.source_id.in_({r.source_id[:200] for r in batch}),
                )
            )
        )
        fresh: list[tuple[CommentRecord, int]] = []
        for record in batch:
            sid = record.source_id[:200]
            if sid in known:
                self.summary.unchanged += 1
                continue
            known.add(sid)
            story = self._story(record)
            if story is None:
                self.summary.skipped += 1
                continue
            fresh.append((record, story))
        if fresh:
            authors = self._authors([r for r, _ in fresh])
            self._insert(fresh, authors)

    def _story(self, record: CommentRecord) -> int | None:
        thread_source_id = record.thread_source_id
        if thread_source_id not in self.stories:
            thread = self.threads.get(thread_source_id)
            story_id = None
            if thread is not None:
                story_id = resolve_story(
                    self.session,
                    site=self.site,
                    source=self.source,
                    thread=thread,
                    mode=self.story_id,
                    summary=self.summary,
                    on_fault=self.on_fault,
                    first_comment_at=record.created_at,
                )
            self.stories[thread_source_id] = story_id
        story = self.stories[thread_source_id]
        if story is not None:
            self.touched.add(story)
        return story

    def _authors(self, records: list[CommentRecord]) -> dict[str, int]:
        if len(self.users) > _USER_CACHE:
            self.users.clear()
        wanted: dict[str, CommentRecord] = {}
        for r in records:  # the first comment of each author names them
            wanted.setdefault(_sid(r.author.key), r)
        missing = [k for k in wanted if k not in self.users]
        if missing:
            self.users.update(
                self.session.execute(
                    select(ImportRecord.source_id, ImportRecord.target_id).where(
                        ImportRecord.site_id == self.site.id,
                        ImportRecord.source == self.source,
                        ImportRecord.kind == "user",
                        ImportRecord.source_id.in_(missing),
                    )
                ).all()
            )
        new = [k for k in wanted if k not in self.users]
        if new:
            emails = {wanted[k].author.email: k for k in new if wanted[k].author.email}
            by_email = dict(
                self.session.execute(
                    select(User.email, User.id).where(
                        User.site_id == self.site.id, User.email.in_(list(emails))
                    )
                ).all()
            )
            create, shared = [], []
            for key in new:
                email = wanted[key].author.email
                if email and email in by_email:
                    if by_email[email] > 0:
                        self.users[key] = by_email[email]
                    else:
                        shared.append(key)  # two keys, one email: the first makes the user
                    continue
                if email:
                    by_email[email] = -1
                create.append(key)
            if create:
                rows = [self._user_row(wanted[k]) for k in create]
                ids = insert_ids(self.session, User, rows)
                self.users.update(zip(create, ids, strict=True))
                self.summary.users += len(ids)
            for key in shared:
                email = wanted[key].author.email or ""
                self.users[key] = self.users[_first_key(create, wanted, email)]
            self._remember("user", [(k, self.users[k], None) for k in new])
        return {k: self.users[k] for k in wanted}

    def _user_row(self, record: CommentRecord) -> dict[str, Any]:
        name = clean_text(record.author.name)[:100] or "Reader"
        return {
            "site_id": self.site.id,
            "email": record.author.email[:320] if record.author.email else None,
            "display_name": name,
            "role": Role.COMMENTER,
            "is_subscriber": False,
            "banned": False,
            "premoderated": False,
            "created_at": record.created_at,
        }

    def _insert(self, fresh: list[tuple[CommentRecord, int]], authors: dict[str, int]) -> None:
        parents = _lookup(
            self.session,
            site_id=self.site.id,
            source=self.source,
            source_ids={r.parent_source_id[:200] for r, _ in fresh if r.parent_source_id},
        )
        in_batch = {r.source_id[:200] for r, _ in fresh}
        remaining = fresh
        while remaining:
            ready, later = [], []
            for record, story in remaining:
                parent = (record.parent_source_id or "")[:200]
                if parent and parent not in parents and parent in in_batch:
                    later.append((record, story))
                else:
                    ready.append((record, story))
            if not ready:  # a cycle of parents: link what can be linked afterwards
                ready, later = later, []
            self._insert_wave(ready, authors, parents)
            in_batch -= {r.source_id[:200] for r, _ in ready}
            remaining = later

    def _insert_wave(
        self,
        wave: list[tuple[CommentRecord, int]],
        authors: dict[str, int],
        parents: dict[str, tuple[int, int, int | None, int]],
    ) -> None:
        rows: list[dict[str, Any]] = []
        kept: list[tuple[CommentRecord, str | None, int, int | None, int]] = []
        for record, story in wave:
            body_md = clean_text(
                html_to_markdown(record.body) if record.body_format == "html" else record.body
            )
            if not body_md and record.status not in _GONE:
                self.summary.skipped += 1
                continue
            parent_sid = (record.parent_source_id or "")[:200] or None
            pending = None
            parent = parents.get(parent_sid) if parent_sid else None
            if parent is not None and parent[3] != story:
                parent = None  # a parent in another thread: keep the reply at the top, or skip it
                self.summary.orphan(
                    record.source_id[:200], parent_sid or "", "parent in another thread"
                )
                if self.skip_orphans:
                    self.summary.skipped += 1
                    continue
            elif parent is None and parent_sid:
                pending = parent_sid
            depth = parent[1] + 1 if parent else 0
            root = (parent[2] or parent[0]) if parent else None
            rows.append(
                {
                    "site_id": self.site.id,
                    "story_id": story,
                    "parent_id": parent[0] if parent else None,
                    "root_id": root,
                    "depth": depth,
                    "author_id": authors[_sid(record.author.key)],
                    "status": record.status,
                    "body_md": body_md,
                    "body_html": render_markdown(body_md) if body_md else "",
                    "created_at": record.created_at,
                    "edited_at": record.edited_at,
                    "moderator_edited": record.moderator_edited,
                    "featured": record.featured,
                    "reaction_count": max(0, record.reaction_count),
                    "reply_count": 0,
                    "version": 1,
                    "removal_reason": record.removal_reason or None,
                    "held_reason": record.held_reason,
                    "imported_from": self.source,
                }
            )
            kept.append((record, pending, story, root, depth))
        if not rows:
            return
        ids = insert_ids(self.session, Comment, rows)
        self.summary.comments += len(ids)
        remembered = []
        for (record, pending, story, root, depth), cid in zip(kept, ids, strict=True):
            sid = record.source_id[:200]
            parents[sid] = (cid, depth, root, story)
            remembered.append((sid, cid, pending))
        self._remember("comment", remembered)

    def _remember(self, kind: str, items: list[tuple[str, int, str | None]]) -> None:
        if items:
            self.session.execute(
                insert(cast(Table, ImportRecord.__table__)),
                [
                    {
                        "site_id": self.site.id,
                        "source": self.source,
                        "kind": kind,
                        "source_id": sid,
                        "target_id": target,
                        "parent_source_id": pending,
                    }
                    for sid, target, pending in items
                ],
            )


def insert_ids(
    session: Session, model: type[User] | type[Comment], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert `rows`; their new ids, in row order.

    SQLite does not promise RETURNING's order for a many-row insert, so SQLAlchemy sends one
    statement per row (with cost growing with the batch). There the first row's insert takes
    the database's write lock, which this transaction keeps until it commits, so the rest can
    be given the ids after it and go in as one executemany.
    """
    # Core, not the ORM: the ORM splits a batch wherever a row's value is None.
    table = cast(Table, model.__table__)
    if session.get_bind().dialect.name != "sqlite":
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(i) for i in session.scalars(returning, rows)]
    first = int(session.scalars(insert(table).returning(table.c.id), rows[:1]).one())
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        session.execute(
            insert(table), [{**row, "id": i} for row, i in zip(rows[1:], ids[1:], strict=True)]
        )
    return ids


def _lookup(
    session: Session, *, site_id: str, source: str, source_ids: set[str]
) -> dict[str, tuple[int, int, int | None, int]]:
    """Imported comments by source id: (id, depth, root_id, story_id)."""
    if not source_ids:
        return {}
    rows = session.execute(
        select(ImportRecord.source_id, Comment.id, Comment.depth, Comment.root_id, Comment.story_id)
        .join(Comment, Comment.id == ImportRecord.target_id)
        .where(
            ImportRecord.site_id == site_id,
            ImportRecord.source == source,
            ImportRecord.kind == "comment",
            ImportRecord.source_id.in_(source_ids),
        )
    ).tuples()
    return {sid: (cid, depth, root, story) for sid, cid, depth, root, story in rows}


def _first_key(create: list[str], wanted: dict[str, CommentRecord], email: str) -> str:
    return next(k for k in create if wanted[k].author.email == email)


def _sid(key: str) -> str:
    """Source ids fit the column; long keys keep a hash of their tail."""
    if len(key) <= 200:
        return key
    import hashlib

    return key[:150] + ":" + hashlib.sha256(key.encode()).hexdigest()[:40]
