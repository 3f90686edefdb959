"""Shared fixtures: a migrated database per test, an app on a frozen clock, real HTTP clients."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from belowline import migrate
from belowline import models as _models  # noqa: F401 - every table in metadata
from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.db import make_engine, make_sessionmaker
from belowline.settings import Settings
from tests.cast import Cast, make_cast
from tests.factories import TEST_SECRET
from tests.isolation import fresh_postgres
from tests.snapshot import emptied_postgres, sqlite_engine


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | str]:
    """Migrate once per run; each test gets a copy (SQLite) or emptied tables (PostgreSQL)."""
    server = os.environ.get("BELOWLINE_TEST_DATABASE_URL")
    if server:
        # A database of this run's own on that server, dropped at the end of the run.
        url, drop = fresh_postgres(server)
        _without_commit_flush(server, url)
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        drop()
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    yield path


def _without_commit_flush(server: str, url: str) -> None:
    """Commits in this run's own database do not wait for the WAL to reach the disk: a test
    never survives a power cut, and a commit's flush was a good part of each test's time."""
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = make_url(url).database
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    admin.dispose()


@pytest.fixture
def engine(migrated_template: Path | str, tmp_path: Path) -> Iterator[Engine]:
    if isinstance(migrated_template, str):
        eng = emptied_postgres(migrated_template)
    else:
        db = tmp_path / "belowline.db"
        shutil.copy(migrated_template, db)
        eng = sqlite_engine(db, group_commit=True)  # as the server runs it
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        rate_limit_enabled=False,
        periodic_jobs=False,
        semantic_tier=False,  # tests/policy/test_semantic.py turns it on where installed
        release_memory_on_start=False,  # a full collection of the test run's heap per app
    )


@pytest.fixture
def app(settings: Settings, clock: FrozenClock, engine: Engine) -> FastAPI:
    return create_app(settings, clock=clock, engine=engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    s = make_sessionmaker(engine)()
    yield s
    s.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def client_factory(app: FastAPI) -> Callable[..., TestClient]:
    def make(**kwargs: Any) -> TestClient:
        return TestClient(app, **kwargs)

    return make


@pytest.fixture
def cast(session: Session, clock: FrozenClock) -> Cast:
    return make_cast(session, clock)


@pytest.fixture
def dash(client_factory: Callable[..., TestClient]) -> Callable[[], TestClient]:
    """A browser-like dashboard client of its own (cookies kept, redirects not followed)."""
    return lambda: client_factory(base_url="http://testserver", follow_redirects=False)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects, so `-m database` sees the mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use the test database (`database`), from their fixtures: the others
    behave the same whatever BELOWLINE_TEST_DATABASE_URL says, so `make test` runs them once.

    Then files of long tests first (real servers, browsers, slow marks), each file kept whole:
    the test processes (one file each at a time) then end together instead of one of them
    finishing a long file alone while the others wait."""
    for item in items:
        if "migrated_template" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)
    rank: dict[str, int] = {}
    for item in items:
        marks = {m.name for m in item.iter_markers()}
        here = 0 if "integration" in marks else 1 if marks & {"browser", "slow"} else 2
        rank[item.nodeid.split("::")[0]] = min(here, rank.get(item.nodeid.split("::")[0], 2))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])
