"""The People page and the invitation page over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.models import User
from tests.cast import Cast
from tests.dashboard.test_pages import csrf_of, sign_in


def test_moderators_search_people(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    sign_in(client, cast.mod)
    r = client.get("/moderate/people", params={"q": "reader"})
    assert r.status_code == 200
    assert f'href="/moderate/users/{cast.reader.id}"' in r.text
    assert f'href="/moderate/users/{cast.author.id}"' not in r.text
    assert "Invite a moderator" not in r.text  # admins only
    assert "data-total>2 people matching" in r.text


def test_admin_invites_changes_roles_and_deactivates(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.admin)
    r = client.post(
        "/moderate/people/invite",
        data={"csrf_token": csrf, "email": "fresh@example.com", "role": "moderator"},
    )
    assert r.status_code == 201, r.text
    link = re.search(r'data-invite-link[^>]*|value="([^"]+/moderate/invite/[^"]+)"', r.text)
    found = re.search(r'value="(http[^"]+/moderate/invite/([^"]+))"', r.text)
    assert link and found
    token = found.group(2)

    r = client.post(f"/moderate/people/{cast.mod.id}", data={"csrf_token": csrf, "active": "false"})
    assert r.status_code == 303
    session.expire_all()
    assert session.get(User, cast.mod.id).deactivated_at is not None  # type: ignore[union-attr]
    r = client.post(
        f"/moderate/people/{cast.admin.id}", data={"csrf_token": csrf, "role": "moderator"}
    )
    assert r.status_code == 409 and "last admin" in r.text

    invitee = dash()
    form = invitee.get(f"/moderate/invite/{token}")
    assert form.status_code == 200 and "fresh@example.com" in form.text
    r = invitee.post(
        f"/moderate/invite/{token}",
        data={"csrf_token": csrf_of(form.text), "password": "a long new password"},
    )
    assert r.status_code == 303
    assert invitee.get(f"/moderate/invite/{token}").status_code == 404


def test_deactivated_moderator_is_signed_out(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    mod = dash()
    sign_in(mod, cast.mod)
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    admin.post(f"/moderate/people/{cast.mod.id}", data={"csrf_token": csrf, "active": "false"})
    r = mod.get("/moderate")
    assert r.status_code == 303 and r.headers["location"].startswith("/moderate/login")
