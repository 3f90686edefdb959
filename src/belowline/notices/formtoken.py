"""Flood protection for the public notice form without a third-party captcha.

Two checks: a honeypot field (`website`, hidden from people by the form, filled by naive
bots) and a signed, timed form token. The form fetches a token when it opens; a notice
must carry one that this server signed for this site, at least MIN_AGE old (a person reads
and types; a script posting at once does not) and at most MAX_AGE old.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from belowline.errors import ErrorCode, InvalidInput

MIN_AGE = timedelta(seconds=3)
MAX_AGE = timedelta(hours=2)


def _sign(secret: str, message: str) -> str:
    mac = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def issue(*, secret: str, site_id: str, now: datetime) -> str:
    """A token for one site's notice form, stamped with the time it was issued."""
    body = f"{site_id}.{int(now.timestamp())}.{secrets.token_urlsafe(6)}"
    return f"{body}.{_sign(secret, 'notice-form:' + body)}"


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(
        message,
        code=ErrorCode.INVALID_FORM_TOKEN,
        fields=[{"field": "form_token", "message": message}],
    )


def check(token: str | None, *, secret: str, site_id: str, now: datetime) -> None:
    """Refuse a missing, forged, foreign, too fresh or expired token."""
    parts = (token or "").split(".")
    if len(parts) != 4:
        raise _refuse("Open the form again: it has no valid form token.")
    body, signature = ".".join(parts[:3]), parts[3]
    if not hmac.compare_digest(signature, _sign(secret, "notice-form:" + body)):
        raise _refuse("Open the form again: its form token is not valid.")
    if parts[0] != site_id or not parts[1].isdigit():
        raise _refuse("Open the form again: its form token is for another site.")
    age = now - datetime.fromtimestamp(int(parts[1]), tz=now.tzinfo)
    if age < MIN_AGE:
        raise _refuse("That was quick: take a moment to check the form, then send it again.")
    if age > MAX_AGE:
        raise _refuse("The form has expired: open it again and send it.")


def check_honeypot(value: str | None) -> None:
    """A person never fills the hidden `website` field."""
    if value:
        raise InvalidInput(
            "This form was filled in automatically.",
            code=ErrorCode.INVALID_FORM_TOKEN,
            fields=[{"field": "website", "message": "leave empty"}],
        )
