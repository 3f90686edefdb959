"""Thread pages by keyset: the cost of a page depends on its size, not the thread's.

A page is top-level comments in the chosen order, each with its first replies nested up to
`VISIBLE_DEPTH` levels; deeper or further replies are fetched with their parent's cursor.
The SQL is written once per dialect and run on the driver, plain tuples back: building the
same statements from expression objects, compiling them and turning each row into an object
cost several times more CPU than running them. Each comment row carries its author's name,
role and subscription (a join), so a page needs no separate author query. Rows become the
contract's Comment objects field for field as `views.public_comment` makes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

import orjson
from sqlalchemy import Dialect
from sqlalchemy.orm import Session

from belowline.comments.cursors import Sort, decode_cursor, encode_cursor
from belowline.comments.models import Comment
from belowline.comments.views import badges_for
from belowline.stories.models import Story
from belowline.stories.service import StoryRef

VISIBLE_DEPTH = 3  # levels shown nested: top level plus two levels of replies
REPLIES_SHOWN = 3  # replies shown under each comment before "load more replies"
MAX_LIMIT = 100
_ARMS = 200  # parents per query: SQLite allows 500 terms in a compound select


# Positions in a page row (the order of `_COLUMNS`).
ID, PARENT, DEPTH, AUTHOR, STATUS, BODY, CREATED, EDITED = range(8)
MOD_EDITED, FEATURED, REACTIONS, REPLIES, VERSION, REMOVAL, NAME, ROLE, SUB = range(8, 17)

_COLUMNS = (
    "c.id, c.parent_id, c.depth, c.author_id, c.status, c.body_html, c.created_at,"
    " c.edited_at, c.moderator_edited, c.featured, c.reaction_count, c.reply_count,"
    " c.version, c.removal_reason, u.display_name, u.role, u.is_subscriber"
)
_FROM = f"SELECT {_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id"  # noqa: S608
_LISTABLE = (
    "(c.status = 'published' OR (c.status IN ('removed', 'deleted', 'held') AND c.reply_count > 0))"
)
_ARM_LISTABLE = (
    "(status = 'published' OR (status IN ('removed', 'deleted', 'held') AND reply_count > 0))"
)
# Sort -> (key column, descending?); ties broken by id in the same direction.
SORT_KEYS: dict[str, tuple[str, bool]] = {
    Sort.NEWEST: ("created_at", True),
    Sort.OLDEST: ("created_at", False),
    Sort.REACTIONS: ("reaction_count", True),
    Sort.REPLIES: ("reply_count", True),
    Sort.FEATURED: ("created_at", True),
}
SORT_POSITION = {"created_at": CREATED, "reaction_count": REACTIONS, "reply_count": REPLIES}


class Statements(NamedTuple):
    """A dialect's statements: `mark` is its placeholder; booleans are spelled its way."""

    mark: str
    true: str
    sqlite: bool


_STATEMENTS: dict[str, Statements] = {}


def statements(dialect: Dialect) -> Statements:
    found = _STATEMENTS.get(dialect.name)
    if found is None:
        sqlite = dialect.name == "sqlite"
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        found = _STATEMENTS[dialect.name] = Statements(mark, "1" if sqlite else "true", sqlite)
    return found


class Rows(Protocol):
    """Runs a page's statements: a request's session, or the read path's own connection."""

    sql: Statements

    def rows(self, text: str, params: tuple[Any, ...]) -> list[Any]: ...


class SessionRows:
    """A request's session as a `Rows` (its transaction, its connection)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sql = statements(session.get_bind().dialect)

    def rows(self, text: str, params: tuple[Any, ...]) -> list[Any]:
        return list(self.session.connection().exec_driver_sql(text, params))


def _bind_time(sql: Statements, value: datetime) -> Any:
    """A UTC time as the column stores it (SQLite: text in SQLAlchemy's format)."""
    n = value.astimezone(UTC).replace(tzinfo=None)
    if not sql.sqlite:
        return n
    # SQLAlchemy's SQLite storage format (strftime would not pad years before 1000).
    return (
        f"{n.year:04d}-{n.month:02d}-{n.day:02d} "
        f"{n.hour:02d}:{n.minute:02d}:{n.second:02d}.{n.microsecond:06d}"
    )


def page_roots(
    db: Rows, *, story_id: int, sort: str, limit: int, after: tuple[Any, int] | None
) -> list[Any]:
    """Top-level comments (or every featured one) of a story, one past `limit`."""
    sql = db.sql
    m = sql.mark
    key, desc = SORT_KEYS[sort]
    if sort == Sort.FEATURED:  # featured replies too, each shown on its own
        where = f"c.story_id = {m} AND c.featured = {sql.true} AND c.status = 'published'"
    else:
        where = f"c.story_id = {m} AND c.depth = 0 AND {_LISTABLE}"
    params: list[Any] = [story_id]
    if after is not None:
        where += f" AND (c.{key}, c.id) {'<' if desc else '>'} ({m}, {m})"
        value = _bind_time(sql, after[0]) if key == "created_at" else after[0]
        params += [value, after[1]]
    way = "DESC" if desc else "ASC"
    params.append(limit + 1)
    return db.rows(
        f"{_FROM} WHERE {where} ORDER BY c.{key} {way}, c.id {way} LIMIT {m}", tuple(params)
    )


def reply_rows(
    db: Rows, *, parent_id: int, limit: int, after: tuple[datetime, int] | None
) -> list[Any]:
    """A comment's listable replies, oldest first, one past `limit`."""
    sql = db.sql
    m = sql.mark
    where = f"c.parent_id = {m} AND {_LISTABLE}"
    params: list[Any] = [parent_id]
    if after is not None:
        where += f" AND (c.created_at, c.id) > ({m}, {m})"
        params += [_bind_time(sql, after[0]), after[1]]
    params.append(limit + 1)
    return db.rows(f"{_FROM} WHERE {where} ORDER BY c.created_at, c.id LIMIT {m}", tuple(params))


_ARMS_SQL: dict[tuple[str, int, int], str] = {}


def first_replies(db: Rows, parent_ids: list[int], shown: int, arms: int) -> list[Any]:
    """The first `shown` listable replies of each parent, oldest first, `arms` per query.

    One index range per parent, each stopping after `shown` rows (a UNION ALL of LIMITed
    selects), so a comment with thousands of replies costs no more than one with three; a
    window over all replies would read every one of them.
    """
    if not parent_ids:
        return []
    sql = db.sql
    out: list[Any] = []
    for start in range(0, len(parent_ids), arms):
        chunk = parent_ids[start : start + arms]
        text = _ARMS_SQL.get((sql.mark, len(chunk), shown))
        if text is None:
            union = " UNION ALL ".join(
                f"SELECT id FROM (SELECT id FROM comments WHERE parent_id = {sql.mark}"  # noqa: S608
                f" AND {_ARM_LISTABLE} ORDER BY created_at, id LIMIT {shown}) AS a{i}"
                for i in range(len(chunk))
            )
            text = _ARMS_SQL[(sql.mark, len(chunk), shown)] = f"{_FROM} WHERE c.id IN ({union})"
        out.extend(db.rows(text, tuple(chunk)))
    out.sort(key=lambda r: (as_time(r[CREATED]), r[ID]))
    return out


SITE_SETTINGS_SQL = "SELECT settings FROM sites WHERE id = {m}"


def subscriber_badge(db: Rows, site_id: str) -> bool:
    """The site setting `subscriber_badge` (off unless the newsroom turns it on)."""
    rows = db.rows(SITE_SETTINGS_SQL.format(m=db.sql.mark), (site_id,))
    return badge_in(rows[0][0] if rows else None)


def badge_in(settings: Any) -> bool:
    """`subscriber_badge` in a site's settings as stored (SQLite hands back JSON text)."""
    if isinstance(settings, str | bytes):
        settings = orjson.loads(settings)
    return bool((settings or {}).get("subscriber_badge", False))


def as_time(value: Any) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back text)."""
    when: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def iso(value: Any) -> str | None:
    """A stored time as the contract writes it (`views.iso` of the aware value)."""
    if value is None:
        return None
    when: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat() + "Z"


def _comment(row: Any, story_external_id: str, badge_on: bool) -> dict[str, Any]:
    """The contract's Comment object as any reader may see it (as `views.public_comment`)."""
    status = row[STATUS]
    if status == "deleted":
        author = None
    elif row[ROLE] is None:  # no such user any more
        author = {"id": row[AUTHOR], "display_name": "Reader", "badges": []}
    else:
        badges = badges_for(row[ROLE], row[SUB], subscriber_badge=badge_on)
        author = {"id": row[AUTHOR], "display_name": row[NAME], "badges": badges}
    item: dict[str, Any] = {
        "id": row[ID],
        "story_id": story_external_id,
        "parent_id": row[PARENT],
        "depth": row[DEPTH],
        "author": author,
        "body_html": row[BODY] if status == "published" else "",
        "status": status,
        "created_at": iso(row[CREATED]),
        "edited_at": iso(row[EDITED]),
        "moderator_edited": bool(row[MOD_EDITED]),
        "featured": bool(row[FEATURED]),
        "reaction_count": row[REACTIONS],
        "reply_count": row[REPLIES],
        "version": row[VERSION],
    }
    if status == "removed":
        item["removal_reason"] = row[REMOVAL] or "Removed by a moderator."
    elif status == "deleted":
        item["removal_reason"] = "Deleted by its author."
    elif status == "held":
        item["held_reason"] = "Awaiting review by a moderator."
    return item


def _nest(
    db: Rows, roots: list[Any], story: Story | StoryRef, levels: int, badge: bool | None
) -> list[dict[str, Any]]:
    """Attach up to `levels` levels of first replies under `roots`, breadth-first."""
    by_parent: dict[int, list[Any]] = {}
    frontier = [r[ID] for r in roots if r[REPLIES] > 0]
    for _ in range(levels):
        kids = first_replies(db, frontier, REPLIES_SHOWN, _ARMS)
        for kid in kids:
            by_parent.setdefault(kid[PARENT] or 0, []).append(kid)
        frontier = [k[ID] for k in kids if k[REPLIES] > 0]
    badge_on = subscriber_badge(db, story.site_id) if badge is None else badge
    external_id = story.external_id

    def build(row: Any, level: int) -> dict[str, Any]:
        item = _comment(row, external_id, badge_on)
        kids = by_parent.get(row[ID], [])
        shown = 0
        if level < levels:
            item["replies"] = [build(k, level + 1) for k in kids]
            shown = len(kids)
        more = row[REPLIES] > shown
        item["more_replies_cursor"] = (
            (
                encode_cursor("replies_of", as_time(kids[-1][CREATED]), kids[-1][ID])
                if shown
                else "start"
            )
            if more
            else None
        )
        return item

    return [build(r, 0) for r in roots]


def thread_page(
    session: Session, *, story: Story | StoryRef, sort: Sort, limit: int, cursor: str | None
) -> dict[str, Any]:
    """One page of a story's thread, for any reader (nothing personal in it)."""
    return public_page(SessionRows(session), story=story, sort=sort, limit=limit, cursor=cursor)


def public_page(
    db: Rows,
    *,
    story: Story | StoryRef,
    sort: Sort,
    limit: int,
    cursor: str | None,
    badge: bool | None = None,
) -> dict[str, Any]:
    """`thread_page` on any `Rows`; `badge` is the site's `subscriber_badge` if known."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor, sort) if cursor else None
    rows = page_roots(db, story_id=story.id, sort=sort, limit=limit, after=after)
    has_more = len(rows) > limit
    rows = rows[:limit]
    levels = 0 if sort == Sort.FEATURED else VISIBLE_DEPTH - 1
    items = _nest(db, rows, story, levels, badge)
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        column = SORT_KEYS[sort][0]
        key = last[SORT_POSITION[column]]
        next_cursor = encode_cursor(sort, as_time(key) if column == "created_at" else key, last[ID])
    return {"items": items, "next_cursor": next_cursor, "total": story.comment_count}


def replies_page(
    session: Session, *, parent: Comment, story: Story, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Further replies to one comment, oldest first, each with its own first replies."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor, "replies_of") if cursor and cursor != "start" else None
    db = SessionRows(session)
    rows = reply_rows(db, parent_id=parent.id, limit=limit, after=after)
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = _nest(db, rows, story, VISIBLE_DEPTH - 1, None)
    next_cursor = (
        encode_cursor("replies_of", as_time(rows[-1][CREATED]), rows[-1][ID])
        if has_more and rows
        else None
    )
    return {"items": items, "next_cursor": next_cursor, "total": parent.reply_count}
