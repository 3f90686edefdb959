"""Belowline's own short-lived access tokens, issued after SSO or local login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

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
    return jwt.encode(payload, secret, algorithm="HS256")


def decode_access_token(token: str, *, secret: str, now: datetime) -> AccessClaims:
    """Validate signature, issuer, audience and expiry; only HS256 is accepted."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={
                "require": ["exp", "iat", "sub", "aud", "iss"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        if claims.get("typ") != "access" or int(claims["exp"]) < now.timestamp():
            raise jwt.InvalidTokenError("expired or wrong type")
        return AccessClaims(user_id=int(claims["sub"]), site_id=str(claims["site"]))
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise NotAuthenticated(
            "Your session is not valid or has expired. Sign in again.",
            code=ErrorCode.INVALID_TOKEN,
        ) from exc
