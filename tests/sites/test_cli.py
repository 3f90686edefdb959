"""`belowline sites create|list|show|update` against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.cli import app as cli
from belowline.models import AuditEntry, Site
from tests.cast import Cast
from tests.factories import SSO_SECRET
from tests.sites.keys import RSA_KEY, public_pem, rsa_jwks


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch, cast: Cast):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli_sites.system_clock", cast.clock)

    def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args), input=stdin)

    return invoke


def test_list_show_and_create(run, session: Session) -> None:  # type: ignore[no-untyped-def]
    listed = run("sites", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert {s["id"] for s in json.loads(listed.stdout)} == {"gazette", "courier"}
    shown = run("sites", "show", "gazette", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["sso"]["secret"] == "set"
    assert SSO_SECRET not in shown.stdout
    text = run("sites", "show", "gazette")
    assert "sso secret:     set" in text.stdout
    made = run(
        "sites", "create", "--name", "The Herald", "--origin", "https://herald.example", "--json"
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["id"] == "the-herald"


def test_update_validated_whole_and_audited(  # type: ignore[no-untyped-def]
    run, session: Session, tmp_path: Path
) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(rsa_jwks()))
    triage = tmp_path / "triage.json"
    triage.write_text(json.dumps({"thresholds": {"part": {"spam": {"hold": 0.7}}}}))
    r = run(
        "sites", "update", "gazette",
        "--origin", "https://news.example", "--origin", "https://m.news.example",
        "--edit-window", "120", "--sso-algorithm", "RS256", "--sso-algorithm", "HS256",
        "--sso-jwks-file", str(jwks), "--triage-file", str(triage), "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    view = json.loads(r.stdout)
    assert view["origins"] == ["https://news.example", "https://m.news.example"]
    assert view["sso"]["algorithms"] == ["RS256", "HS256"]
    assert view["triage"]["thresholds"]["part"]["spam"]["hold"] == 0.7
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.update")).one()
    assert entry.actor_role == "system"

    pem = tmp_path / "bad.pem"
    pem.write_text("-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----\n")
    r = run("sites", "update", "gazette", "--edit-window", "5", "--sso-public-key-file", str(pem))
    assert r.exit_code == 1
    assert "sso.public_key" in r.output and "Nothing was saved" in r.output
    session.expire_all()
    assert session.get(Site, "gazette").edit_window_seconds == 120  # type: ignore[union-attr]
    pem.write_text(public_pem(RSA_KEY))
    assert run("sites", "update", "gazette", "--sso-public-key-file", str(pem)).exit_code == 0


def test_rotate_secret_from_stdin(run, session: Session) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "sites", "update", "gazette", "--sso-secret", "-", "--sso-secret-grace", "600", "--json",
        stdin="a-new-secret-read-from-stdin-0123456789\n",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["sso"]["previous_secret"] == "set"
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None and site.sso_secret == "a-new-secret-read-from-stdin-0123456789"
    assert site.sso_previous_secret == SSO_SECRET


@pytest.fixture
def pool_ledger():  # type: ignore[no-untyped-def]
    """Counts every pool's checkouts and check-ins, and the connections opened and closed."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    counts = {"checkout": 0, "checkin": 0, "connect": 0, "close": 0}

    def counter(name: str):  # type: ignore[no-untyped-def]
        def bump(*_args: object) -> None:
            counts[name] += 1

        return bump

    listeners = [(name, counter(name)) for name in counts]
    for name, fn in listeners:
        event.listen(Pool, name, fn)
    yield counts
    for name, fn in listeners:
        event.remove(Pool, name, fn)


def test_commands_leave_no_connection_open(run, pool_ledger) -> None:  # type: ignore[no-untyped-def]
    # A connection left checked out (inside a transaction) blocks a later TRUNCATE forever.
    commands = [
        ("sites", "list", "--json"),
        ("sites", "show", "gazette", "--json"),
        ("sites", "update", "gazette", "--edit-window", "90", "--json"),
        ("sites", "update", "gazette", "--edit-window", "-5"),
        ("sites", "create", "--name", "Herald", "--origin", "https://herald.example"),
        ("sites", "locale", "gazette"),
        ("users", "create", "--site", "gazette", "--email", "x@example.com",
         "--password", "pw12345678"),
    ]  # fmt: skip
    for args in commands:
        before = dict(pool_ledger)
        run(*args)
        opened = {k: pool_ledger[k] - before[k] for k in pool_ledger}
        assert opened["checkout"] > 0, args
        assert opened["checkout"] == opened["checkin"], (args, opened)
        assert opened["connect"] == opened["close"], (args, opened)
