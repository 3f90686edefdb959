"""Who may do what: one pure function per action, tested as a role x action matrix."""

from __future__ import annotations

from collections.abc import Callable

from belowline.accounts.models import Role, User
from belowline.errors import ErrorCode, Forbidden


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


def can_view_queue(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may read the site's moderation queues and decisions."""
    return can_moderate(actor, site_id)


def can_decide(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may approve, amend, remove or restore the site's comments."""
    return can_moderate(actor, site_id)


def can_sanction(actor: User | None, site_id: str, target: User) -> bool:
    """Return True if the actor may sanction `target`: staff are sanctioned by admins only."""
    if not can_moderate(actor, site_id) or target.site_id != site_id:
        return False
    if actor is not None and actor.id == target.id:
        return False
    return not target.is_staff or can_administer(actor, site_id)


def can_lift_sanction(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may lift a sanction (admins only)."""
    return can_administer(actor, site_id)


def can_view_user_history(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may read a user's moderation history and notes."""
    return can_moderate(actor, site_id)


def can_write_user_note(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may add an internal note about a user."""
    return can_moderate(actor, site_id)


def can_view_audit(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may browse and export the audit log (admins only)."""
    return can_administer(actor, site_id)


def can_appeal(actor: User | None, affected_user_id: int) -> bool:
    """Return True if the actor is the person a decision or sanction affected."""
    return actor is not None and actor.id == affected_user_id


def can_resolve_appeal(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may resolve the site's appeals (not their own decisions)."""
    return can_moderate(actor, site_id)


def can_handle_data_requests(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may export or erase a person's data on request (admins)."""
    return can_administer(actor, site_id)


def can_view_transparency(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may read the site's transparency report (admins)."""
    return can_administer(actor, site_id)


def can_handle_notices(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may read and decide the site's notices (its moderators)."""
    return can_moderate(actor, site_id)


def can_run_qa(actor: User | None, site_id: str) -> bool:
    """Return True if the actor may switch a story's Q&A mode, name experts, assign questions."""
    return can_moderate(actor, site_id)


def can_answer_question(actor: User | None, expert_ids: set[int]) -> bool:
    """Return True if the actor is one of the story's designated experts."""
    return actor is not None and actor.id in expert_ids


def require(check: Callable[[User | None, str], bool], actor: User | None, site_id: str) -> None:
    """Raise `forbidden` unless the permission check passes."""
    if not check(actor, site_id):
        raise Forbidden("Only this site's moderators can do that.", code=ErrorCode.FORBIDDEN)
