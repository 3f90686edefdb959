"""Throwaway PostgreSQL databases for test runs and harnesses, so runs sharing one server (other
checkouts, CI) never touch each other's data: each creates its own and drops only that."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import create_engine, make_url, text


def fresh_postgres(
    server_url: str, prefix: str = "belowline_test"
) -> tuple[str, Callable[[], None]]:
    """A new, empty database `<prefix>_<random>` on the server `server_url` names;
    returns its URL and a function that drops it."""
    base = make_url(server_url)
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop
