"""Staff are erased only as readers, and a site's last admin never: coded 409s, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.accounts.models import Role
from belowline.cli import app as cli
from belowline.models import AuditEntry, User
from tests.cast import Cast, post
from tests.factories import make_user

ME = "/api/v1/me"
ERASE = "/api/v1/sites/gazette/privacy/erase"
USERS = "/api/v1/sites/gazette/users"


def _erase_me(client: TestClient, cast: Cast, user: User) -> object:
    return client.request("DELETE", ME, json={"confirm": True}, headers=cast.h(user))


def _untouched(session: Session, user: User, name: str) -> None:
    session.expire_all()
    row = session.get(User, user.id)
    assert row is not None and row.erased_at is None and row.display_name == name
    assert row.email is not None
    erasures = session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert list(erasures) == []


def test_a_moderator_cannot_erase_themselves_while_staff(
    client: TestClient, cast: Cast, session: Session
) -> None:
    post(client, cast, cast.mod, "A note from the desk.")
    r = _erase_me(client, cast, cast.mod)
    assert r.status_code == 409, r.text  # type: ignore[attr-defined]
    assert r.json()["error"]["code"] == "staff_account"  # type: ignore[attr-defined]
    _untouched(session, cast.mod, "Mona Moderator")
    # An admin's data request is refused the same way.
    r = client.post(
        ERASE, json={"user_id": cast.mod.id, "confirm": True}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "staff_account"
    _untouched(session, cast.mod, "Mona Moderator")


def test_once_a_reader_again_the_former_moderator_can_be_erased(
    client: TestClient, cast: Cast, session: Session
) -> None:
    r = client.patch(
        f"{USERS}/{cast.mod.id}", json={"role": "commenter"}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 200, r.text
    r = client.post(
        ERASE, json={"user_id": cast.mod.id, "confirm": True}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(User, cast.mod.id).erased_at is not None  # type: ignore[union-attr]


def test_the_last_admin_can_never_be_erased_or_deactivated(
    client: TestClient, cast: Cast, session: Session
) -> None:
    r = _erase_me(client, cast, cast.admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"  # type: ignore[attr-defined]
    r = client.post(
        ERASE, json={"user_id": cast.admin.id, "confirm": True}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"
    for change in ({"active": False}, {"role": "commenter"}, {"role": "moderator"}):
        r = client.patch(f"{USERS}/{cast.admin.id}", json=change, headers=cast.h(cast.admin))
        assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin", change
    _untouched(session, cast.admin, "Ada Admin")


def test_with_a_second_admin_the_first_steps_down_then_is_erased(
    client: TestClient, cast: Cast, session: Session
) -> None:
    second = make_user(session, cast.world.site, cast.clock(), role=Role.ADMIN, name="Bea Admin")
    session.commit()
    r = _erase_me(client, cast, cast.admin)
    assert r.status_code == 409 and r.json()["error"]["code"] == "staff_account"  # type: ignore[attr-defined]
    r = client.patch(f"{USERS}/{cast.admin.id}", json={"role": "commenter"}, headers=cast.h(second))
    assert r.status_code == 200, r.text
    assert _erase_me(client, cast, cast.admin).status_code == 200  # type: ignore[attr-defined]
    # Bea is now the last admin: her own erasure is refused.
    r = _erase_me(client, cast, second)
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"  # type: ignore[attr-defined]


def test_the_cli_refuses_a_staff_erasure_with_the_code(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, cast: Cast, session: Session, tmp_path: Path
) -> None:
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BELOWLINE_DATA_DIR", str(tmp_path))
    assert cast.mod.email
    r = CliRunner().invoke(
        cli, ["privacy", "erase", "--site", "gazette", "--email", cast.mod.email, "--yes"]
    )
    assert r.exit_code == 1
    assert "staff_account" in r.output and "Nothing was erased" in r.output
    _untouched(session, cast.mod, "Mona Moderator")
