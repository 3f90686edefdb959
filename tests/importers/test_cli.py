"""The commands as an operator runs them: summary, dry run, exit codes, export to a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.cli import app
from belowline.comments.models import Comment
from tests.importers.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: str) -> str:
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BELOWLINE_DATA_DIR", str(tmp_path))
    return site


def _comments(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Comment)) or 0


def test_dry_run_reports_and_writes_nothing(cli_env: str, session: Session) -> None:
    args = ["import", "disqus", str(FIXTURES / "disqus.xml"), "--site", cli_env, "--json"]
    result = runner.invoke(app, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["comments"], summary["stories"], summary["dry_run"]) == (8, 3, True)
    assert _comments(session) == 0
    result = runner.invoke(app, args)
    assert json.loads(result.stdout)["comments"] == 8
    assert _comments(session) == 8
    result = runner.invoke(app, args)
    assert json.loads(result.stdout)["comments"] == 0
    assert _comments(session) == 8


def test_strict_failure_exits_non_zero_with_the_line(cli_env: str, session: Session) -> None:
    result = runner.invoke(
        app, ["import", "disqus", str(FIXTURES / "disqus_broken.xml"), "--site", cli_env, "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "imported": False,
        "errors": [{"line": 1, "message": "not well-formed XML: not well-formed (invalid token)"}],
    }
    assert _comments(session) == 0
    lenient = runner.invoke(
        app,
        ["import", "disqus", str(FIXTURES / "disqus_broken.xml"), "--site", cli_env, "--lenient"],
    )
    assert lenient.exit_code == 0
    assert "line 140: unquoted attribute value (repaired and imported)" in lenient.stdout


def test_export_to_a_file_and_bad_options(cli_env: str, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", cli_env])
    out = tmp_path / "out.xml"
    result = runner.invoke(
        app, ["export", "--site", cli_env, "--format", "disqus", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().count("<post ") == 5
    assert runner.invoke(app, ["export", "--site", cli_env, "--format", "csv"]).exit_code == 2
    bad = runner.invoke(
        app,
        [
            "import",
            "wordpress",
            str(FIXTURES / "wordpress.xml"),
            "--site",
            cli_env,
            "--story-id",
            "x",
        ],
    )
    assert bad.exit_code == 2
