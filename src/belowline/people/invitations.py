"""Invite a moderator or admin by email: a one-time link that expires, used once to set a password.

Only a hash of the token is stored; the link is shown to the inviting admin once and emailed
through the outbox (category INVITATION). Accepting creates the account, or promotes the
site's existing account with that email, and sets its password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts import service as accounts
from belowline.accounts.models import Role, User
from belowline.accounts.passwords import hash_password
from belowline.audit import service as audit
from belowline.errors import ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.i18n.readers import text_for
from belowline.mail.service import MailCategory, queue_email
from belowline.people.models import Invitation
from belowline.stories.service import get_site

VALID_FOR = timedelta(days=3)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/moderate/invite/{token}"


def invite(
    session: Session,
    *,
    actor: User | None,
    site_id: str,
    email: str,
    role: Role,
    base_url: str,
    now: datetime,
) -> tuple[Invitation, str]:
    """Create an invitation and queue its email; returns it with the link (shown once)."""
    if not permissions.can_administer(actor, site_id):
        raise Forbidden("Only the site's admins can invite staff.", code=ErrorCode.FORBIDDEN)
    address = email.strip().lower()
    if not _EMAIL.match(address):
        raise InvalidInput(
            "That is not an email address.", code=ErrorCode.VALIDATION_ERROR, field="email"
        )
    if role not in (Role.MODERATOR, Role.ADMIN):
        raise InvalidInput(
            "Invite moderators or admins.", code=ErrorCode.VALIDATION_ERROR, field="role"
        )
    existing = session.scalar(select(User).where(User.site_id == site_id, User.email == address))
    if existing is not None and existing.is_staff:
        raise InvalidInput(
            f"{address} is already {existing.role} on this site.",
            code=ErrorCode.VALIDATION_ERROR,
            field="email",
        )
    site = get_site(session, site_id=site_id)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        site_id=site_id,
        email=address,
        role=role,
        token_hash=_hash(token),
        invited_by=actor.id if actor else None,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    session.add(invitation)
    session.flush()
    link = invite_link(base_url, token)
    t = text_for(None, site)
    inviter = actor.display_name if actor else t("An admin")
    invited = (
        t(
            "%(inviter)s has invited you to be an admin of %(site)s's comments.",
            inviter=inviter,
            site=site.name,
        )
        if role == Role.ADMIN
        else t(
            "%(inviter)s has invited you to be a moderator of %(site)s's comments.",
            inviter=inviter,
            site=site.name,
        )
    )
    until = (
        invitation.expires_at.strftime("%d %B %Y %H:%M UTC")
        if t.locale == "en"
        else t.when(invitation.expires_at)
    )
    queue_email(
        session,
        site_id=site_id,
        to=address,
        subject=t("You are invited to moderate comments for %(site)s", site=site.name),
        text=invited
        + "\n\n"
        + t("Set your password here (the link works once, until %(until)s):", until=until)
        + f"\n{link}\n",
        now=now,
        category=MailCategory.INVITATION,
        locale=t.locale,
    )
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="user.invite",
        target_type="invitation",
        target_id=invitation.id,
        note=f"{address} as {role}",
        now=now,
    )
    return invitation, link


def pending(session: Session, *, token: str, now: datetime) -> Invitation:
    """The invitation behind a link, if it is unused and has not expired."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotFound(
            "This invitation link is not valid: it was used, it expired, or it never existed. "
            "Ask the admin for a new one.",
            code=ErrorCode.INVITATION_INVALID,
        )
    return invitation


def accept(
    session: Session, *, token: str, password: str, display_name: str | None, now: datetime
) -> User:
    """Use the link: create (or promote) the account and set its password; the link is spent."""
    invitation = pending(session, token=token, now=now)
    if len(password) < 8:
        raise InvalidInput(
            "Passwords need at least 8 characters.",
            code=ErrorCode.VALIDATION_ERROR,
            field="password",
        )
    user = session.scalar(
        select(User).where(User.site_id == invitation.site_id, User.email == invitation.email)
    )
    name = (display_name or "").strip() or invitation.email.split("@")[0]
    if user is None:
        user = accounts.create_user(
            session,
            site_id=invitation.site_id,
            email=invitation.email,
            display_name=name,
            password=password,
            role=Role(invitation.role),
            now=now,
        )
    else:
        user.role = invitation.role
        user.password_hash = hash_password(password)
        user.deactivated_at = None
    spent = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now, user_id=user.id)
    )
    if getattr(spent, "rowcount", 0) != 1:  # another tab used the link a moment ago
        raise NotFound("This invitation link was just used.", code=ErrorCode.INVITATION_INVALID)
    audit.write(
        session,
        site_id=invitation.site_id,
        actor=user,
        action="user.invite_accepted",
        target_type="user",
        target_id=user.id,
        note=f"{invitation.email} as {invitation.role}",
        now=now,
    )
    session.flush()
    return user
