"""People routes: search a site's readers and staff, change roles, deactivate, invite staff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from belowline.accounts.api import user_out
from belowline.accounts.models import Role
from belowline.comments.views import iso
from belowline.ids import RowId
from belowline.people import directory, invitations, staff
from belowline.people.schemas import AcceptInvitation, InvitationIn, StaffChange
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/api/v1", tags=["people"])


@router.get("/sites/{site_id}/users")
def search_users(
    site_id: str,
    user: CurrentUser,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    role: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=directory.MAX_LIMIT)] = 25,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Readers and staff by name, email or id (moderators), staff first, paginated."""
    return directory.search(
        session, actor=user, site_id=site_id, q=q, role=role, limit=limit, offset=offset
    )


@router.patch("/sites/{site_id}/users/{user_id}")
def change_user(
    site_id: str,
    user_id: RowId,
    body: StaffChange,
    user: CurrentUser,
    session: DbSession,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Change a person's role and/or deactivate or reactivate staff (admins)."""
    target = staff.change(
        session,
        actor=user,
        site_id=site_id,
        user_id=user_id,
        role=body.role,
        active=body.active,
        now=now,
    )
    out = directory.person_view(target)
    commit(session, bus)
    return out


@router.post("/sites/{site_id}/invitations", status_code=201)
def invite(
    site_id: str,
    body: InvitationIn,
    user: CurrentUser,
    session: DbSession,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Invite a moderator or admin by email: a one-time link, emailed and shown here once."""
    invitation, link = invitations.invite(
        session,
        actor=user,
        site_id=site_id,
        email=body.email,
        role=Role(body.role),
        base_url=settings.public_url,
        now=now,
    )
    out = {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": iso(invitation.expires_at),
        "link": link,
    }
    commit(session, bus)
    return out


@router.post("/invitations/{token}/accept", status_code=201)
def accept_invitation(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    body: AcceptInvitation,
    session: DbSession,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Use an invitation link: set a password; the account can then sign in to the dashboard."""
    account = invitations.accept(
        session, token=token, password=body.password, display_name=body.display_name, now=now
    )
    out = user_out(session, account, now).model_dump()
    commit(session, bus)
    return out
