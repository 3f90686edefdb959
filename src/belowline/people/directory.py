"""Find a person on a site by name, email or id: the way into a record without a queue item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import Role, User
from belowline.comments.views import iso
from belowline.errors import ErrorCode, Forbidden, InvalidInput

MAX_LIMIT = 100


def person_view(user: User) -> dict[str, Any]:
    """How a person looks in a search result (moderators only see this)."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "external_id": user.external_id,
        "role": user.role,
        "active": user.deactivated_at is None,
        "deactivated_at": iso(user.deactivated_at),
        "subscriber": user.is_subscriber,
        "banned": user.banned,
        "suspended_until": iso(user.suspended_until),
        "created_at": iso(user.created_at),
        "last_seen_at": iso(user.last_seen_at),
        "record": f"/moderate/users/{user.id}",
    }


def _matching(site_id: str, q: str, role: str | None) -> Select[Any]:
    stmt = select(User).where(User.site_id == site_id)
    if role:
        if role == "staff":
            stmt = stmt.where(User.role.in_((Role.MODERATOR, Role.ADMIN)))
        else:
            stmt = stmt.where(User.role == role)
    text = q.strip().lower()
    if text:
        needle = text.lstrip("#")
        terms = [
            func.lower(User.display_name).contains(text, autoescape=True),
            func.lower(User.email).contains(text, autoescape=True),
            User.external_id == q.strip(),
        ]
        if needle.isdigit() and len(needle) < 10:
            terms.append(User.id == int(needle))
        stmt = stmt.where(or_(*terms))
    return stmt


def search(
    session: Session,
    *,
    actor: User | None,
    site_id: str,
    q: str = "",
    role: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> dict[str, Any]:
    """People on the site matching `q` (name, email, id), staff first, then by name; paginated."""
    if not permissions.can_view_user_history(actor, site_id):
        raise Forbidden("Only this site's moderators can do that.", code=ErrorCode.FORBIDDEN)
    if role not in (None, "", "staff", *(r.value for r in Role)):
        raise InvalidInput(
            "role is commenter, moderator, admin or staff.",
            code=ErrorCode.VALIDATION_ERROR,
            field="role",
        )
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidInput(
            f"limit is 1-{MAX_LIMIT} and offset 0 or more.",
            code=ErrorCode.VALIDATION_ERROR,
            field="limit",
        )
    stmt = _matching(site_id, q[:200], role or None)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    staff_first = case((User.role == Role.COMMENTER, 1), else_=0)
    rows: list[User] = list(
        session.scalars(
            stmt.order_by(staff_first, func.lower(User.display_name), User.id)
            .limit(limit)
            .offset(offset)
        )
    )
    nxt = offset + limit if offset + limit < total else None
    return {"items": [person_view(u) for u in rows], "total": total, "next_offset": nxt}
