"""Core statements compiled once per dialect and run straight on the driver's cursor.

A post runs the same handful of statements thousands of times. Through `session.execute`
each costs about ten times its SQL (cache key, ORM context, result objects); here the SQL
string, parameter order and type converters are worked out once, and a run is one cursor
call with the same conversions SQLAlchemy would apply, so answers are identical.

What stays as through SQLAlchemy: the session's transaction and connection (group commit
and the writer lock on SQLite), autoflush of pending ORM changes before a statement, the
engine's cursor events, and errors raised as SQLAlchemy's `DBAPIError` subclasses. On
PostgreSQL psycopg prepares a statement on the server once it has run five times on a
connection, which these fixed SQL strings let it do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

Convert = Callable[[Any], Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Form:
    """One statement as one dialect runs it."""

    sql: str
    order: tuple[str, ...] | None  # positional parameter names, or None: named parameters
    binds: tuple[tuple[str, Convert], ...]
    results: tuple[Convert | None, ...]
    compiled: Any


class Prepared:
    """A statement built once, compiled once per dialect, run on the session's connection."""

    __slots__ = ("_forms", "column_keys", "statement")

    def __init__(self, statement: ClauseElement, *, column_keys: Sequence[str] | None = None):
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._forms: dict[str, _Form] = {}

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            compiled: Any = self.statement.compile(dialect=dialect, column_keys=self.column_keys)
            sql = compiled.string
            if "POSTCOMPILE" in sql:
                raise ValueError("a prepared statement cannot have expanding parameters")
            columns = getattr(self.statement, "exported_columns", ())
            form = _Form(
                sql=sql,
                order=tuple(compiled.positiontup) if compiled.positional else None,
                binds=tuple(compiled._bind_processors.items()),
                results=tuple(c.type._cached_result_processor(dialect, None) for c in columns),
                compiled=compiled,
            )
            self._forms[dialect.name] = form
        return form

    def _run(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, _Form]:
        if session.autoflush and (session.new or session.dirty or session.deleted):
            session.flush()  # what session.execute would do: the statement sees pending work
        conn: Connection = session.connection()
        dialect = conn.dialect
        form = self._form(dialect)
        values = form.compiled.construct_params(params)
        for name, convert in form.binds:
            values[name] = convert(values[name])
        args: Any = values if form.order is None else [values[n] for n in form.order]
        dbapi_conn: Any = conn.connection.dbapi_connection
        cursor = dbapi_conn.cursor()
        conn.dispatch.before_cursor_execute(conn, cursor, form.sql, args, None, False)
        try:
            cursor.execute(form.sql, args)
        except dialect.loaded_dbapi.Error as exc:
            cursor.close()
            if dialect.is_disconnect(exc, dbapi_conn, cursor):
                conn.invalidate(exc)
            raise DBAPIError.instance(form.sql, args, exc, dialect.loaded_dbapi.Error) from exc
        conn.dispatch.after_cursor_execute(conn, cursor, form.sql, args, None, False)
        return cursor, form

    def all(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, each value converted as SQLAlchemy would."""
        cursor, form = self._run(session, params)
        try:
            rows = cursor.fetchall()
        finally:
            cursor.close()
        results = form.results
        if not any(results):
            return [tuple(r) for r in rows]
        return [
            tuple(v if f is None else f(v) for f, v in zip(results, row, strict=True))
            for row in rows
        ]

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row, or None."""
        cursor, form = self._run(session, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        return tuple(v if f is None else f(v) for f, v in zip(form.results, row, strict=True))

    def scalar(self, session: Session, params: Mapping[str, Any]) -> Any:
        """The first column of the first row, or None."""
        row = self.first(session, params)
        return None if row is None else row[0]

    def execute(self, session: Session, params: Mapping[str, Any]) -> int:
        """Run a write; the number of rows it matched."""
        cursor, _ = self._run(session, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


def attach(session: Session, model: type[T], values: dict[str, Any]) -> T:
    """The session's copy of a row: the one it already holds, else `values` as loaded.

    What a query of the entity would hand back, without the ORM's loading machinery: the
    object's attributes are set as loaded (no history), so it is clean and persistent.
    """
    mapper = sa_inspect(model)
    key = mapper.identity_key_from_primary_key([values[c.key] for c in mapper.primary_key])
    loaded = session.identity_map.get(key)
    if loaded is not None:
        kept: T = loaded
        return kept
    obj: T = mapper.class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


class Loader(Generic[T]):
    """One entity by a prepared query, attached as if loaded (`attach`)."""

    __slots__ = ("keys", "model", "orm", "query")

    def __init__(self, model: type[T], *where: ColumnElement[bool]) -> None:
        props = sa_inspect(model).column_attrs
        self.model = model
        self.keys = tuple(p.key for p in props)
        self.query = Prepared(select(*[p.columns[0] for p in props]).where(*where))
        self.orm = select(model).where(*where)

    def first(self, session: Session, params: Mapping[str, Any]) -> T | None:
        row = self.query.first(session, params)
        if row is None:
            return None
        values = dict(zip(self.keys, row, strict=True))
        obj = attach(session, self.model, values)
        if sa_inspect(obj).expired_attributes:
            # The session's copy was expired (a counter moved): let the ORM refresh it.
            refreshed: T | None = session.scalar(self.orm, dict(params))
            return refreshed
        return obj
