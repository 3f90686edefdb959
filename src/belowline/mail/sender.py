"""The outbox handler for kind "email": honours the reader's preferences, sends over SMTP.

Preferences and the address are read when the message is sent, not when it was queued, so
an unsubscribe or an erasure in between wins. A message that must not go (preference off,
no address, account erased) is dropped and logged, never retried; a temporary SMTP failure
(4xx, a network error) raises so the outbox retries with backoff; a permanent refusal (5xx)
is logged and given up. The in-app notice was written with the cause and stays either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

import aiosmtplib
import anyio
from sqlalchemy.orm import Session, sessionmaker

from belowline.accounts.models import User
from belowline.clock import Clock
from belowline.mail import preferences
from belowline.mail.compose import POLICY, Envelope, build
from belowline.mail.models import Digest, MailLogEntry, MailOutcome
from belowline.mail.service import MailCategory
from belowline.outbox.service import Claimed, GiveUp
from belowline.settings import Settings
from belowline.stories.models import Site

log = logging.getLogger("belowline.mail")
TIMEOUT = 30.0


@dataclass(frozen=True)
class Drop:
    reason: str


def _drop_reason(session: Session, user: User | None, payload: dict[str, object]) -> str | None:
    """Why a reader's message must not go now, or None to send it."""
    if user is None or user.erased_at is not None:
        return "account erased"
    if not user.email:
        return "no email address"
    category = str(payload.get("category"))
    if not preferences.wants(session, user_id=user.id, category=category):
        return f"preference {preferences.CATEGORY_FIELD[category]} is off"
    digest = preferences.get(session, user_id=user.id)["digest"]
    if category == MailCategory.REPLY and digest == Digest.DAILY and not payload.get("digest"):
        return "replies go in the daily digest"
    return None


def permanent(exc: Exception) -> bool:
    """True for an SMTP refusal that retrying cannot fix (a 5xx reply)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= r.code < 600 for r in exc.recipients)
    return isinstance(exc, aiosmtplib.SMTPResponseException) and 500 <= exc.code < 600


class SmtpSender:
    """Sends queued email through the configured SMTP server (aiosmtplib)."""

    def __init__(self, *, sessions: sessionmaker[Session], settings: Settings, clock: Clock):
        self.sessions = sessions
        self.settings = settings
        self.clock = clock

    def _prepare(self, message: Claimed) -> EmailMessage | Drop:
        payload = message.payload
        with self.sessions() as session:
            user_id = payload.get("user_id")
            to = str(payload.get("to") or "")
            if user_id is not None:
                user = session.get(User, int(user_id))
                reason = _drop_reason(session, user, payload)
                if reason is not None or user is None or not user.email:
                    return Drop(reason or "no email address")
                to = user.email
            if not to:
                return Drop("no email address")
            site = session.get(Site, message.site_id) if message.site_id else None
            envelope = Envelope(
                to=to,
                subject=str(payload.get("subject") or ""),
                text=str(payload.get("text") or ""),
                html=str(payload["html"]) if payload.get("html") else None,
                category=str(payload.get("category") or ""),
                user_id=int(user_id) if user_id is not None else None,
                site_name=site.name if site else "Comments",
                outbox_id=message.id,
                locale=str(payload.get("locale") or "en"),
            )
        return build(
            envelope,
            mail_from=self.settings.mail_from,
            public_url=self.settings.public_url,
            secret=self.settings.secret_key,
            now=self.clock(),
        )

    def _record(
        self, message: Claimed, outcome: MailOutcome, reason: str | None, message_id: str | None
    ) -> None:
        user_id = message.payload.get("user_id")
        with self.sessions() as session:
            session.add(
                MailLogEntry(
                    outbox_id=message.id,
                    site_id=message.site_id,
                    user_id=int(user_id) if user_id is not None else None,
                    category=str(message.payload.get("category") or ""),
                    outcome=outcome,
                    reason=reason,
                    message_id=message_id,
                    created_at=self.clock(),
                )
            )
            session.commit()

    async def send(self, email: EmailMessage) -> None:
        """Send the bytes as built (aiosmtplib's own flattening would re-fold long headers)."""
        s = self.settings
        await aiosmtplib.send(
            email.as_bytes(policy=POLICY),
            sender=parseaddr(s.mail_from)[1],
            recipients=[parseaddr(str(email["To"]))[1]],
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username,
            password=s.smtp_password,
            use_tls=s.smtp_use_tls,
            timeout=TIMEOUT,
        )

    async def __call__(self, message: Claimed) -> None:
        prepared = await anyio.to_thread.run_sync(self._prepare, message)
        if isinstance(prepared, Drop):
            await anyio.to_thread.run_sync(
                self._record, message, MailOutcome.DROPPED, prepared.reason, None
            )
            return
        try:
            await self.send(prepared)
        except (aiosmtplib.SMTPException, OSError) as exc:
            if not permanent(exc):
                raise  # temporary: the outbox retries with backoff
            await anyio.to_thread.run_sync(
                self._record, message, MailOutcome.REJECTED, str(exc)[:500], None
            )
            raise GiveUp(str(exc)) from exc
        await anyio.to_thread.run_sync(
            self._record, message, MailOutcome.SENT, None, str(prepared["Message-ID"])
        )
