"""HS256 JSON Web Tokens (RFC 7519) for Belowline's own tokens, with the standard library.

Every post checks a reader's HS256 access token. PyJWT imports `cryptography` at its own import
(about 9 MB of every worker) for the public-key algorithms that only publishers' sign-in tokens
use, so Belowline's tokens are signed and checked here and PyJWT is loaded where a publisher's
token is verified. The claim checks are PyJWT's for the options these tokens were decoded with.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "TokenError",
    "check_audience",
    "check_not_before",
    "decode",
    "encode",
    "require",
    "unverified_claims",
]

_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")


class TokenError(ValueError):
    """The token is malformed, not HS256, wrongly signed or lacks a claim it must have."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    if not _SEGMENT.fullmatch(segment):
        raise TokenError("not base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("not base64url") from exc


def _object(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(segment))
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("not JSON") from exc
    if not isinstance(value, dict):
        raise TokenError("not a JSON object")
    return value


def _signature(signing_input: str, secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest()


_HEADER = _b64encode(b'{"alg":"HS256","typ":"JWT"}')


def encode(claims: dict[str, Any], secret: str) -> str:
    """``claims`` signed with HS256 under ``secret``."""
    payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    signing_input = f"{_HEADER}.{payload}"
    return f"{signing_input}.{_b64encode(_signature(signing_input, secret))}"


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a JWS compact token")
    return parts[0], parts[1], parts[2]


def decode(token: str, secret: str) -> dict[str, Any]:
    """The claims of a token HS256-signed under ``secret`` (any other algorithm is refused)."""
    head, payload, signature = _split(token)
    if _object(head).get("alg") != "HS256":
        raise TokenError("not HS256")
    expected = _signature(f"{head}.{payload}", secret)
    if not hmac.compare_digest(expected, _b64decode(signature)):
        raise TokenError("wrong signature")
    claims = _object(payload)
    _check_registered(claims)
    return claims


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims without checking the signature: only to choose headers, never to trust."""
    return _object(_split(token)[1])


def _check_registered(claims: dict[str, Any]) -> None:
    """What PyJWT checks of every token it decodes: ``sub`` and ``jti`` are strings."""
    for name in ("sub", "jti"):
        if name in claims and not isinstance(claims[name], str):
            raise TokenError(f"{name} must be a string")


def check_not_before(claims: dict[str, Any], *, now: float) -> None:
    """``iat`` and ``nbf``, when present, are integers no later than ``now``."""
    for name in ("iat", "nbf"):
        if name in claims:
            try:
                when = int(claims[name])
            except (ValueError, TypeError, OverflowError) as exc:
                raise TokenError(f"{name} must be an integer") from exc
            if when > now:
                raise TokenError("not yet valid")


def require(claims: dict[str, Any], names: Iterable[str]) -> None:
    """Each claim present and not null."""
    for name in names:
        if claims.get(name) is None:
            raise TokenError(f"{name} is missing")


def check_audience(claims: dict[str, Any], audience: str) -> None:
    """``aud`` is ``audience`` or a list of strings holding it."""
    aud = claims.get("aud")
    if isinstance(aud, str):
        aud = [aud]
    if not isinstance(aud, list) or not all(isinstance(a, str) for a in aud):
        raise TokenError("aud must be a string or a list of strings")
    if audience not in aud:
        raise TokenError("not for this audience")
