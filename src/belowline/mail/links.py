"""Signed one-click unsubscribe links: the token names the reader and the category, nothing else.

Signed with the site's secret key (itsdangerous), so a link cannot be forged or pointed at
another reader; it does not expire, as RFC 8058 links must keep working in old messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from belowline.errors import ErrorCode, NotFound

SALT = "belowline.mail.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    category: str


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def make_token(*, secret: str, user_id: int, category: str) -> str:
    return str(_serializer(secret).dumps({"u": user_id, "c": category}))


def read_token(token: str, *, secret: str) -> Unsubscribe:
    """The reader and category a token names, or `not_found` for anything tampered with."""
    try:
        data = _serializer(secret).loads(token)
        return Unsubscribe(user_id=int(data["u"]), category=str(data["c"]))
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise NotFound("This unsubscribe link is not valid.", code=ErrorCode.NOT_FOUND) from exc


def unsubscribe_url(*, public_url: str, secret: str, user_id: int, category: str) -> str:
    token = make_token(secret=secret, user_id=user_id, category=category)
    return f"{public_url.rstrip('/')}/mail/unsubscribe/{token}"
