"""The data-request CLI against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from belowline import migrate
from belowline.cli import app
from belowline.clock import system_clock
from belowline.db import make_engine, make_sessionmaker
from belowline.models import AuditEntry, User
from tests.factories import make_user, make_world


def test_export_and_erase_by_email(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_sessionmaker(engine)()
    world = make_world(session, system_clock())
    person = make_user(session, world.site, system_clock(), email="Pat@Example.com", name="Pat")
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", url)
    monkeypatch.setenv("BELOWLINE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    r = runner.invoke(app, ["privacy", "export", "--site", "gazette", "--email", "pat@example.com"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["account"]["display_name"] == "Pat"
    r = runner.invoke(app, ["privacy", "erase", "--site", "gazette", "--email", "pat@example.com"])
    assert r.exit_code == 2  # needs --yes
    r = runner.invoke(
        app, ["privacy", "erase", "--site", "gazette", "--email", "pat@example.com", "--yes"]
    )
    assert r.exit_code == 0, r.output
    session.expire_all()
    erased = session.get(User, person.id)
    assert erased is not None and erased.email is None and erased.display_name == "Former reader"
    actions = [a.action for a in session.scalars(select(AuditEntry))]
    assert actions.count("privacy.export") == 1 and actions.count("privacy.erase") == 1
    r = runner.invoke(app, ["privacy", "erase", "--site", "gazette", "--email", "x@y.z", "--yes"])
    assert r.exit_code == 1
    assert runner.invoke(app, ["mail", "digest"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["privacy", "retention"]).stdout) == {
        "emails": 0,
        "mail_log": 0,
    }
