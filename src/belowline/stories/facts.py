"""Per-process copies of what every post reads of its site, checked by one version read.

A post reads its site's row, the current rules, whether its author accepted them and has no
pending warning: the same answers for thousands of posts. Each worker keeps them per site
beside the site's `facts_version`, and a post reads only that counter (one indexed row). Every
ORM write to a watched table bumps the counter in its own transaction, so the change and the
new version commit together and every process sees both at once.

Order keeps it safe: the version is read before the facts, so facts kept under a version are
never older than it; a session that bumped the counter itself keeps its facts to itself
(its transaction may still roll back).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, and_, bindparam, event, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.util import identity_key

from belowline.db.prepared import Prepared, attach
from belowline.stories.models import Site, Story

_SITES = cast(Table, Site.__table__)
_STORIES = cast(Table, Story.__table__)
_VERSION = Prepared(
    select(_SITES.c.facts_version, _SITES.c.created_at).where(_SITES.c.id == bindparam("site_id"))
)
# A post reads its story right after the version: the same statement brings its row along.
STORY_KEYS = tuple(p.key for p in sa_inspect(Story).column_attrs)
_VERSION_AND_STORY = Prepared(
    select(
        _SITES.c.facts_version,
        _SITES.c.created_at,
        *[p.columns[0] for p in sa_inspect(Story).column_attrs],
    )
    .select_from(
        _SITES.outerjoin(
            _STORIES,
            and_(
                _STORIES.c.site_id == _SITES.c.id,
                _STORIES.c.external_id == bindparam("external_id"),
            ),
        )
    )
    .where(_SITES.c.id == bindparam("site_id"))
)
_STORY = "belowline_facts_story"  # session.info: {(site_id, external_id): row values or None}
_BUMP = (
    update(_SITES)
    .where(_SITES.c.id == bindparam("site_id"))
    .values(facts_version=_SITES.c.facts_version + 1)
)
_SEEN = "belowline_facts"  # session.info: facts already checked in this session
_DIRTY = "belowline_facts_dirty"  # session.info: this session bumped a counter
MEMO_SIZE = 50_000


@dataclass
class Facts:
    """A site's facts at one version: its row's values and answers memoised by key."""

    version: tuple[int, datetime]
    row: dict[str, Any] | None = None
    memo: dict[Hashable, Any] = field(default_factory=dict)

    def remember(self, key: Hashable, value: Any) -> None:
        if len(self.memo) >= MEMO_SIZE:
            self.memo.clear()
        self.memo[key] = value


# Per engine (a process may hold several, tests do), per site id.
_CACHE: weakref.WeakKeyDictionary[Engine, dict[str, Facts]] = weakref.WeakKeyDictionary()


def current(session: Session, site_id: str, *, story: str | None = None) -> Facts | None:
    """The site's facts at its current version (read once per session), or None: no site.

    With `story` (an external id), the version's read also reads that story's row, which
    `prefetched_story` then hands out once (until the session flushes or its transaction ends).
    """
    seen: dict[str, Facts] = session.info.setdefault(_SEEN, {})
    facts = seen.get(site_id)
    if facts is not None:
        return facts
    if story is None:
        row = _VERSION.first(session, {"site_id": site_id})
    else:
        row = _VERSION_AND_STORY.first(session, {"site_id": site_id, "external_id": story})
    if row is None:
        return None
    if story is not None:
        values = dict(zip(STORY_KEYS, row[2:], strict=True))
        kept = session.info.setdefault(_STORY, {})
        kept[(site_id, story)] = None if values["id"] is None else values
    version = (int(row[0]), row[1])
    if session.info.get(_DIRTY):
        facts = Facts(version=version)
    else:
        sites = _CACHE.setdefault(session.get_bind().engine, {})
        facts = sites.get(site_id)
        if facts is None or facts.version != version:
            facts = sites[site_id] = Facts(version=version)
    seen[site_id] = facts
    return facts


def prefetched_story(
    session: Session, site_id: str, external_id: str
) -> tuple[bool, dict[str, Any] | None]:
    """(True, the story's row or None: no such story) if `current` just read it, else
    (False, None); each read is handed out once."""
    kept: dict[tuple[str, str], dict[str, Any] | None] = session.info.get(_STORY, {})
    key = (site_id, external_id)
    if key not in kept:
        return False, None
    return True, kept.pop(key)


def site(session: Session, site_id: str, *, story: str | None = None) -> Site | None:
    """The site, attached to the session from the process's copy when it is current
    (with `story`, that story's row is read too: see `current`)."""
    loaded = session.identity_map.get(identity_key(Site, site_id))
    if loaded is not None:
        return loaded  # type: ignore[no-any-return]
    facts = current(session, site_id, story=story)
    if facts is None:
        return None
    if facts.row is None:
        fresh = session.get(Site, site_id)
        if fresh is not None and fresh.facts_version == facts.version[0]:
            facts.row = {c.key: copy.deepcopy(getattr(fresh, c.key)) for c in _SITES.columns}
        return fresh
    # A copy per session: a caller changing its site (or its JSON) never touches the cache.
    values = {
        k: copy.deepcopy(v) if isinstance(v, dict | list) else v for k, v in facts.row.items()
    }
    return attach(session, Site, values)


def _dirty(session: Session | None) -> None:
    if session is not None:
        session.info[_DIRTY] = True
        session.info.pop(_SEEN, None)


def watch(model: type[Any], site_of: Callable[[Any], str | None] | None = None) -> None:
    """Bump the site's counter on every ORM insert, update or delete of `model`'s rows."""
    where = site_of or (lambda target: target.site_id)

    def bump(_mapper: Mapper[Any], connection: Any, target: Any) -> None:
        site_id = where(target)
        if site_id is not None:
            connection.execute(_BUMP, {"site_id": site_id})
            _dirty(object_session(target))

    for name in ("after_insert", "after_update", "after_delete"):
        event.listen(model, name, bump)


@event.listens_for(Site, "before_update")
def _site_changed(_mapper: Mapper[Any], _connection: Any, target: Site) -> None:
    owner = object_session(target)
    if owner is not None and owner.is_modified(target, include_collections=False):
        target.facts_version = _SITES.c.facts_version + 1  # type: ignore[assignment]
        _dirty(owner)


@event.listens_for(Site, "after_delete")
def _site_deleted(_mapper: Mapper[Any], _connection: Any, target: Site) -> None:
    _dirty(object_session(target))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_over(session: Session, *_args: Any) -> None:
    # The next transaction checks the version again (a long-lived session sees changes).
    session.info.pop(_SEEN, None)
    session.info.pop(_DIRTY, None)
    session.info.pop(_STORY, None)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, *_args: Any) -> None:
    session.info.pop(_STORY, None)  # the session's own writes may have moved the story
