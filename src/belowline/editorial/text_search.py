"""Comments by a word in them, through the text index where the database has one.

SQLite: an FTS5 trigram table kept by triggers (a phrase query is a case-insensitive substring
match); PostgreSQL: a pg_trgm index that serves ILIKE as it is. Terms under three characters
have no trigram to look up, so they scan like before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, inspect, literal_column, select, text
from sqlalchemy.orm import Session

from belowline.comments.models import Comment

_FTS_TABLE = "comment_search"
_has_fts: dict[int, bool] = {}


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_index(engine: Engine) -> bool:
    key = id(engine)
    if key not in _has_fts:
        _has_fts[key] = inspect(engine).has_table(_FTS_TABLE)
    return _has_fts[key]


def contains_words(session: Session, words: str) -> ColumnElement[bool]:
    """A condition on `Comment`: its text contains `words` (case-insensitive)."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and len(words) >= 3 and _sqlite_index(bind.engine):
        phrase = '"' + words.replace('"', '""') + '"'
        matches: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(text(_FTS_TABLE))
            .where(text(f"{_FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase))
        )
        return Comment.id.in_(matches)
    return Comment.body_md.ilike(f"%{_like(words)}%", escape="\\")
