"""A poster's row and the per-user answers a post checks, read in one statement.

A post looks up its author, then the newest rules version they accepted, then whether a
warning is pending: three indexed lookups by the same user id. Domains register what they
read as a scalar subquery correlated with the user's id (rules: accepted terms; sanctions: a
pending warning), so accounts knows none of them; `load` reads the row and every answer at
once, and the domains' checks take their answer from here instead of a statement of their own.

An answer is kept only until the session next flushes or its transaction ends, so a write of
the session's own (an acceptance, a warning) or a later transaction always reads afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from belowline.accounts.models import User
from belowline.db.prepared import Prepared, attach

_USERS = cast(Table, User.__table__)
_KEY = "belowline_poster"  # session.info: {user_id: {name: answer}}
# name -> builds a scalar subquery from the users.id column it is correlated with.
Extra = Callable[[ColumnElement[int]], ColumnElement[Any]]
_EXTRAS: dict[str, Extra] = {}
_built: list[tuple[Prepared, tuple[str, ...], tuple[str, ...]]] = []


def register(name: str, build: Extra) -> None:
    """Read `build(users.id)` with every poster's row, offered to `prefetched(..., name)`."""
    _EXTRAS[name] = build
    _built.clear()  # the next load builds the statement with it


def _statement() -> tuple[Prepared, tuple[str, ...], tuple[str, ...]]:
    if not _built:
        props = sa_inspect(User).column_attrs
        keys = tuple(p.key for p in props)
        names = tuple(_EXTRAS)
        columns = [p.columns[0] for p in props]
        extras = [_EXTRAS[n](_USERS.c.id).label(f"poster_{n}") for n in names]
        query = select(*columns, *extras).where(_USERS.c.id == bindparam("user_id"))
        _built.append((Prepared(query), keys, names))
    return _built[0]


def load(session: Session, *, user_id: int) -> User | None:
    """The user (the session's copy if it holds one), with the registered answers kept."""
    query, keys, names = _statement()
    row = query.first(session, {"user_id": user_id})
    if row is None:
        return None
    user = attach(session, User, dict(zip(keys, row[: len(keys)], strict=True)))
    if sa_inspect(user).expired_attributes:
        session.refresh(user)  # the session's copy was expired: let the ORM read it again
    kept: dict[int, dict[str, Any]] = session.info.setdefault(_KEY, {})
    kept[user_id] = dict(zip(names, row[len(keys) :], strict=True))
    return user


def prefetched(session: Session, *, user_id: int, name: str) -> tuple[bool, Any]:
    """(True, answer) if `load` read `name` for the user since the last flush, else (False, _)."""
    answers = session.info.get(_KEY, {}).get(user_id)
    if answers is None or name not in answers:
        return False, None
    return True, answers[name]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_KEY, None)
