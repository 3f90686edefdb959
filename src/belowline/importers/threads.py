"""Threads on import: which story a thread becomes, late parents linked, counters recounted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from belowline.comments.models import Comment, CommentStatus
from belowline.importers.models import ImportRecord
from belowline.importers.records import Fault, Summary, ThreadRecord
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story

StoryIdMode = Literal["identifier", "path", "url"]
_CHUNK = 500


def story_external_id(thread: ThreadRecord, mode: StoryIdMode) -> str | None:
    """The story id the chosen way, falling back to the other when it is missing or unusable."""
    parts = urlsplit(thread.url) if thread.url else None
    path = (parts.path or "/") if parts and (parts.netloc or parts.path) else ""
    full = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts and parts.netloc else ""
    order = {
        "identifier": [thread.identifier, path],
        "path": [path, thread.identifier],
        "url": [full, path, thread.identifier],
    }[mode]
    for candidate in order:
        if candidate and stories_service.STORY_ID_RE.match(candidate):
            return candidate
    return None


def resolve_story(
    session: Session,
    *,
    site: Site,
    source: str,
    thread: ThreadRecord,
    mode: StoryIdMode,
    summary: Summary,
    on_fault: Callable[[Fault], None],
    first_comment_at: datetime,
) -> int | None:
    """The story for a thread: remembered from an earlier run, found, or created."""
    sid = thread.source_id[:200]
    remembered = session.scalar(
        select(ImportRecord.target_id).where(
            ImportRecord.site_id == site.id,
            ImportRecord.source == source,
            ImportRecord.kind == "story",
            ImportRecord.source_id == sid,
        )
    )
    if remembered is not None and session.get(Story, remembered) is not None:
        return remembered
    external_id = story_external_id(thread, mode)
    if external_id is None:
        on_fault(
            Fault(
                thread.line,
                f"thread {thread.source_id!r} has no usable identifier or URL path "
                "(1-200 URL-safe characters); its comments are skipped",
                where=thread.where,
            )
        )
        return None
    story = stories_service.find_story(session, site_id=site.id, external_id=external_id)
    if story is None:
        story = Story(
            site_id=site.id,
            external_id=external_id,
            title=thread.title[:500],
            url=thread.url[:1000],
            text="",
            closed=thread.closed,
            premoderate=thread.premoderate,
            comment_count=0,
            version=1,
            created_at=thread.created_at or first_comment_at,
        )
        session.add(story)
        session.flush()
        summary.stories += 1
    if remembered is None:
        session.execute(
            insert(ImportRecord).values(
                site_id=site.id, source=source, kind="story", source_id=sid, target_id=story.id
            )
        )
    return story.id


def link_late_parents(
    session: Session, *, site_id: str, source: str, summary: Summary, skip: bool = False
) -> None:
    """Link replies that came before their parents; an orphan stays top-level or, with `skip`,
    goes (with its replies); either way it is counted and listed."""
    parent_record = aliased(ImportRecord)
    child = aliased(Comment)
    parent = aliased(Comment)
    stories: set[int] = set()
    orphans: list[tuple[int, int]] = []  # (import record, comment)
    last = 0
    while True:
        rows = session.execute(
            select(
                ImportRecord.id,
                child.id,
                child.story_id,
                parent.id,
                parent.story_id,
                ImportRecord.source_id,
                ImportRecord.parent_source_id,
            )
            .join(child, child.id == ImportRecord.target_id)
            .outerjoin(
                parent_record,
                (parent_record.site_id == ImportRecord.site_id)
                & (parent_record.source == ImportRecord.source)
                & (parent_record.kind == "comment")
                & (parent_record.source_id == ImportRecord.parent_source_id),
            )
            .outerjoin(parent, parent.id == parent_record.target_id)
            .where(
                ImportRecord.site_id == site_id,
                ImportRecord.source == source,
                ImportRecord.kind == "comment",
                ImportRecord.parent_source_id.is_not(None),
                ImportRecord.id > last,
            )
            .order_by(ImportRecord.id)
            .limit(_CHUNK)
        ).tuples()
        batch = list(rows)
        if not batch:
            break
        last = batch[-1][0]
        links = []
        for rid, cid, story, pid, pstory, sid, psid in batch:
            if pid is not None and pstory == story and pid != cid:
                links.append({"id": cid, "parent_id": pid})
                stories.add(story)
            else:
                reason = "parent missing" if pid is None else "parent in another thread"
                summary.orphan(sid, psid or "", reason)
                orphans.append((rid, cid))
        if links:
            session.execute(update(Comment), links)  # bulk UPDATE by primary key
        session.execute(
            update(ImportRecord)
            .where(ImportRecord.id.in_([r[0] for r in batch]))
            .values(parent_source_id=None)
        )
    if skip and orphans:
        summary.orphans_skipped = True
        _drop_subtrees(session, orphans=orphans, summary=summary)
    for story_id in stories:
        _reshape(session, story_id=story_id)


def _drop_subtrees(session: Session, *, orphans: list[tuple[int, int]], summary: Summary) -> None:
    """Delete skipped orphans and every reply below them, and forget their import records."""
    doomed: set[int] = {cid for _rid, cid in orphans}
    frontier = list(doomed)
    while frontier:
        below: list[int] = []
        for i in range(0, len(frontier), _CHUNK):
            below += session.scalars(
                select(Comment.id).where(Comment.parent_id.in_(frontier[i : i + _CHUNK]))
            ).all()
        frontier = [c for c in below if c not in doomed]
        doomed.update(frontier)
    ids = sorted(doomed)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        session.execute(
            delete(ImportRecord).where(
                ImportRecord.kind == "comment", ImportRecord.target_id.in_(chunk)
            )
        )
    _delete_deepest_first(session, ids)
    summary.comments -= len(ids)
    summary.skipped += len(ids)


def _delete_deepest_first(session: Session, ids: list[int]) -> None:
    """Replies before their parents, so no row ever points at a deleted one."""
    remaining = set(ids)
    while remaining:
        chunk = list(remaining)
        parents_of_remaining: set[int] = set()
        for i in range(0, len(chunk), _CHUNK):
            parents_of_remaining.update(
                p
                for p in session.scalars(
                    select(Comment.parent_id).where(
                        Comment.id.in_(chunk[i : i + _CHUNK]), Comment.parent_id.is_not(None)
                    )
                )
                if p is not None
            )
        leaves = [c for c in chunk if c not in parents_of_remaining] or chunk  # no cycles
        for i in range(0, len(leaves), _CHUNK):
            session.execute(delete(Comment).where(Comment.id.in_(leaves[i : i + _CHUNK])))
        remaining.difference_update(leaves)


def _reshape(session: Session, *, story_id: int) -> None:
    """Recompute depth and root for one thread after late links (one thread in memory)."""
    rows = session.execute(
        select(Comment.id, Comment.parent_id, Comment.depth, Comment.root_id).where(
            Comment.story_id == story_id
        )
    ).tuples()
    nodes = {cid: (pid, depth, root) for cid, pid, depth, root in rows}
    shape: dict[int, tuple[int, int | None]] = {}

    def place(cid: int) -> tuple[int, int | None]:
        chain = []
        node: int | None = cid
        while node is not None and node not in shape:
            chain.append(node)
            pid = nodes[node][0]
            if pid in chain or pid not in nodes:  # a cycle or a missing parent: stop here
                pid = None
            node = pid
        for n in reversed(chain):
            pid = nodes[n][0] if nodes[n][0] in shape else None
            if pid is None:
                shape[n] = (0, None)
            else:
                pdepth, proot = shape[pid]
                shape[n] = (pdepth + 1, proot or pid)
        return shape[cid]

    changes = []
    for cid, (_pid, depth, root) in nodes.items():
        new_depth, new_root = place(cid)
        if (new_depth, new_root) != (depth, root):
            changes.append({"id": cid, "depth": new_depth, "root_id": new_root})
    if changes:
        session.execute(update(Comment), changes)


def recount(session: Session, *, story_ids: Iterable[int]) -> None:
    """Reply counts, story counts and story versions, as comments/state.py keeps them."""
    ids = sorted(story_ids)
    reply = aliased(Comment)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        replies = (
            select(func.count(reply.id))
            .where(reply.parent_id == Comment.id, reply.status != CommentStatus.HELD)
            .scalar_subquery()
        )
        session.execute(
            update(Comment)
            .where(Comment.story_id.in_(chunk))
            .values(reply_count=replies)
            .execution_options(synchronize_session=False)
        )
        published = (
            select(func.count(Comment.id))
            .where(Comment.story_id == Story.id, Comment.status == CommentStatus.PUBLISHED)
            .scalar_subquery()
        )
        session.execute(
            update(Story)
            .where(Story.id.in_(chunk))
            .values(comment_count=published, version=Story.version + 1)
            .execution_options(synchronize_session=False)
        )
