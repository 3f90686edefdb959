"""Belowline's own short-lived access tokens, issued after SSO or local login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from belowline.accounts import hs256
from belowline.errors import ErrorCode, NotAuthenticated

ISSUER = "belowline"
AUDIENCE = "belowline-api"


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    site_id: str


def issue_access_token(*, secret: str, user_id: int, site_id: str, now: datetime, ttl: int) -> str:
    payload = {
        "sub": str(user_id),
        "site": site_id,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "typ": "access",
    }
    return hs256.encode(payload, secret)


def decode_access_token(token: str, *, secret: str, now: datetime) -> AccessClaims:
    """Validate signature, issuer, audience and expiry; only HS256 is accepted."""
    try:
        claims = hs256.decode(token, secret)
        hs256.require(claims, ("exp", "iat", "sub", "aud", "iss"))
        hs256.check_audience(claims, AUDIENCE)
        if claims["iss"] != ISSUER:
            raise hs256.TokenError("wrong issuer")
        if claims.get("typ") != "access" or int(claims["exp"]) < now.timestamp():
            raise hs256.TokenError("expired or wrong type")
        return AccessClaims(user_id=int(claims["sub"]), site_id=str(claims["site"]))
    # hs256.TokenError is a ValueError; an infinite exp (JSON 1e400) is an OverflowError
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise NotAuthenticated(
            "Your session is not valid or has expired. Sign in again.",
            code=ErrorCode.INVALID_TOKEN,
        ) from exc
