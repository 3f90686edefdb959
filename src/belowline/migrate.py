"""Run and inspect Alembic migrations from code (CLI, demo, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def pending(engine: Engine) -> bool:
    """Return True if the database is not at the newest migration."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current != heads
