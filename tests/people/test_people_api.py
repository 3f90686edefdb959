"""People over HTTP: search, roles, deactivation and invitations, each change audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import Role
from belowline.clock import FrozenClock
from belowline.models import AuditEntry, OutboxMessage, User
from belowline.people.models import Invitation
from tests.cast import Cast
from tests.factories import make_user

USERS = "/api/v1/sites/gazette/users"


def search(client: TestClient, cast: Cast, **params: Any) -> Any:
    r = client.get(USERS, params=params, headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    return r.json()


def actions(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_search_by_name_email_and_id(client: TestClient, cast: Cast) -> None:
    assert [p["display_name"] for p in search(client, cast, q="rita")["items"]] == ["Rita Reader"]
    by_email = search(client, cast, q=cast.author.email.upper())["items"]
    assert [p["id"] for p in by_email] == [cast.author.id]
    by_id = search(client, cast, q=str(cast.reader2.id))["items"]
    assert cast.reader2.id in [p["id"] for p in by_id]
    assert by_id[0]["record"] == f"/moderate/users/{by_id[0]['id']}"
    # Only this site's people: the other site's moderator is never found.
    assert search(client, cast, q="otto")["total"] == 0
    # Wildcards are text, not patterns.
    assert search(client, cast, q="%")["total"] == 0


def test_staff_first_and_pagination(client: TestClient, cast: Cast) -> None:
    everyone = search(client, cast)
    assert everyone["total"] == 5
    assert [p["role"] for p in everyone["items"][:2]] == ["admin", "moderator"]
    first = search(client, cast, limit=2)
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    rest = search(client, cast, limit=2, offset=4)
    assert len(rest["items"]) == 1 and rest["next_offset"] is None
    assert search(client, cast, role="staff")["total"] == 2


def test_bad_search_parameters_are_422(client: TestClient, cast: Cast) -> None:
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"role": "owner"},
        {"q": "x" * 201},
    ):
        r = client.get(USERS, params=params, headers=cast.h(cast.mod))
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == "validation_error"


def test_role_change_is_audited(client: TestClient, cast: Cast, session: Session) -> None:
    r = client.patch(
        f"{USERS}/{cast.reader.id}", json={"role": "moderator"}, headers=cast.h(cast.admin)
    )
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "moderator"
    assert actions(session)[-1] == "user.role"
    r = client.get(
        "/api/v1/moderation/queues/reported?site_id=gazette", headers=cast.h(cast.reader)
    )
    assert r.status_code == 200


def test_bad_role_changes(client: TestClient, cast: Cast) -> None:
    h = cast.h(cast.admin)
    assert (
        client.patch(f"{USERS}/{cast.reader.id}", json={"role": "owner"}, headers=h).status_code
        == 422
    )
    assert client.patch(f"{USERS}/{cast.reader.id}", json={}, headers=h).status_code == 422
    r = client.patch(f"{USERS}/{cast.other_mod.id}", json={"role": "admin"}, headers=h)
    assert r.status_code == 404  # another site's person
    r = client.patch(f"{USERS}/{cast.reader.id}", json={"active": False}, headers=h)
    assert r.status_code == 422  # readers are sanctioned, not deactivated


def test_the_last_admin_cannot_demote_or_deactivate_themselves(
    client: TestClient, cast: Cast, session: Session, clock: FrozenClock
) -> None:
    h = cast.h(cast.admin)
    for body in ({"role": "moderator"}, {"active": False}):
        r = client.patch(f"{USERS}/{cast.admin.id}", json=body, headers=h)
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "last_admin"
    session.expire_all()
    assert session.get(User, cast.admin.id).role == "admin"  # type: ignore[union-attr]
    make_user(session, cast.world.site, clock(), role=Role.ADMIN, name="Second Admin")
    r = client.patch(f"{USERS}/{cast.admin.id}", json={"role": "moderator"}, headers=h)
    assert r.status_code == 200


def test_deactivated_staff_cannot_sign_in_or_act(
    client: TestClient, cast: Cast, session: Session
) -> None:
    mod_headers = cast.h(cast.mod)
    queue = "/api/v1/moderation/queues/reported?site_id=gazette"
    assert client.get(queue, headers=mod_headers).status_code == 200
    r = client.patch(f"{USERS}/{cast.mod.id}", json={"active": False}, headers=cast.h(cast.admin))
    assert r.status_code == 200 and r.json()["active"] is False
    r = client.get(queue, headers=mod_headers)  # the token issued before stops working
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_deactivated"
    r = client.post(
        "/api/v1/auth/login",
        json={"site_id": "gazette", "email": cast.mod.email, "password": "correct horse battery"},
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_deactivated"
    r = client.patch(f"{USERS}/{cast.mod.id}", json={"active": True}, headers=cast.h(cast.admin))
    assert r.status_code == 200 and r.json()["active"] is True
    assert client.get(queue, headers=mod_headers).status_code == 200
    assert actions(session)[-2:] == ["user.deactivate", "user.reactivate"]


def test_invitation_link_is_emailed_single_use_and_expires(
    client: TestClient, cast: Cast, session: Session, clock: FrozenClock
) -> None:
    r = client.post(
        "/api/v1/sites/gazette/invitations",
        json={"email": "New.Mod@Example.com", "role": "moderator"},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 201, r.text
    link = r.json()["link"]
    token = link.rsplit("/", 1)[1]
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email")).one()
    assert mail.payload["to"] == "new.mod@example.com"
    assert mail.payload["category"] == "invitation"
    assert link in mail.payload["text"]
    stored = session.scalars(select(Invitation)).one()
    assert token not in stored.token_hash  # only a hash is kept
    accept = f"/api/v1/invitations/{token}/accept"
    assert client.post(accept, json={"password": "short"}).status_code == 422
    r = client.post(accept, json={"password": "a long new password", "display_name": "Nia New"})
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "moderator" and r.json()["display_name"] == "Nia New"
    r = client.post(
        "/api/v1/auth/login",
        json={
            "site_id": "gazette",
            "email": "new.mod@example.com",
            "password": "a long new password",
        },
    )
    assert r.status_code == 200
    again = client.post(accept, json={"password": "another password"})
    assert again.status_code == 404 and again.json()["error"]["code"] == "invitation_invalid"
    assert actions(session)[-2:] == ["user.invite", "user.invite_accepted"]
    # An unused link stops working after three days.
    r = client.post(
        "/api/v1/sites/gazette/invitations",
        json={"email": "late@example.com", "role": "admin"},
        headers=cast.h(cast.admin),
    )
    late = r.json()["link"].rsplit("/", 1)[1]
    clock.advance(days=3, seconds=1)
    r = client.post(f"/api/v1/invitations/{late}/accept", json={"password": "a long new password"})
    assert r.status_code == 404
    assert session.scalar(select(func.count(User.id)).where(User.email == "late@example.com")) == 0


def test_bad_invitations(client: TestClient, cast: Cast, session: Session) -> None:
    h = cast.h(cast.admin)
    url = "/api/v1/sites/gazette/invitations"
    for body in (
        {"email": "not-an-email", "role": "moderator"},
        {"email": "x@example.com", "role": "commenter"},
        {"email": cast.mod.email, "role": "admin"},  # already staff
    ):
        r = client.post(url, json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
    assert session.scalar(select(func.count(Invitation.id))) == 0
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_inviting_an_existing_reader_promotes_them(
    client: TestClient, cast: Cast, session: Session
) -> None:
    r = client.post(
        "/api/v1/sites/gazette/invitations",
        json={"email": cast.reader.email, "role": "moderator"},
        headers=cast.h(cast.admin),
    )
    token = r.json()["link"].rsplit("/", 1)[1]
    r = client.post(f"/api/v1/invitations/{token}/accept", json={"password": "a long new password"})
    assert r.status_code == 201 and r.json()["id"] == cast.reader.id
    session.expire_all()
    assert session.get(User, cast.reader.id).role == "moderator"  # type: ignore[union-attr]


def test_deactivated_admin_cannot_change_stories(
    client: TestClient, cast: Cast, session: Session, clock: FrozenClock
) -> None:
    second = make_user(session, cast.world.site, clock(), role=Role.ADMIN, name="Second Admin")
    story = "/api/v1/sites/gazette/stories/story-9"
    assert (
        client.put(
            story, json={"title": "T", "url": "https://news.example/9"}, headers=cast.h(second)
        ).status_code
        == 200
    )
    r = client.patch(f"{USERS}/{second.id}", json={"active": False}, headers=cast.h(cast.admin))
    assert r.status_code == 200
    r = client.put(
        story, json={"title": "T2", "url": "https://news.example/9"}, headers=cast.h(second)
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_deactivated"
