"""Who may do what: one pure function per action, tested as a role x action matrix."""

from __future__ import annotations

from belowline.accounts.models import Role, User


def can_moderate(actor: User | None, site_id: str) -> bool:
    """Return True if the actor moderates this site (moderators and admins of it)."""
    return actor is not None and actor.site_id == site_id and actor.is_staff


def can_administer(actor: User | None, site_id: str) -> bool:
    """Return True if the actor is an admin of this site."""
    return actor is not None and actor.site_id == site_id and actor.role == Role.ADMIN


def can_edit_comment(actor: User | None, author_id: int) -> bool:
    """Return True if the actor wrote the comment (the edit window is checked by the service)."""
    return actor is not None and actor.id == author_id


def can_report(actor: User | None, author_id: int) -> bool:
    """Return True if the actor is signed in and is not the comment's author."""
    return actor is not None and actor.id != author_id
