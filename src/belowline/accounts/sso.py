"""Verify a publisher's signed token: the only way a subscription reaches Belowline."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from belowline.accounts.jwks import JwksCache, JwksUnavailable
from belowline.errors import ErrorCode, NotAuthenticated
from belowline.stories.models import Site

ASYMMETRIC = {"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"}
SYMMETRIC = {"HS256", "HS384", "HS512"}


@dataclass(frozen=True)
class PublisherIdentity:
    """What the publisher vouches for about one reader."""

    external_id: str
    display_name: str
    email: str | None
    subscriber: bool
    subscription_expires_at: datetime | None


def _invalid(message: str = "The sign-in token was not accepted.") -> NotAuthenticated:
    return NotAuthenticated(message, code=ErrorCode.INVALID_TOKEN)


def allowed_algorithms(site: Site) -> list[str]:
    if site.sso_algorithms:
        return [a for a in site.sso_algorithms if a in ASYMMETRIC | SYMMETRIC]
    if site.sso_secret:
        return ["HS256"]
    return ["RS256", "ES256"]


def _key_for(site: Site, header: dict[str, Any], jwks: JwksCache | None) -> Any:
    from jwt import PyJWK  # PyJWT loads `cryptography`: only where a publisher signs in

    alg = header.get("alg")
    if alg in SYMMETRIC:
        if not site.sso_secret:
            raise _invalid()
        return site.sso_secret
    if site.sso_jwks:
        keys = site.sso_jwks.get("keys", [])
        kid = header.get("kid")
        for key in keys:
            if kid is None or key.get("kid") == kid:
                return PyJWK.from_json(json.dumps(key), algorithm=alg).key
        raise _invalid()
    if site.sso_jwks_url:
        kid = header.get("kid")
        if jwks is None or not (kid is None or isinstance(kid, str)):
            raise _invalid()
        try:
            return jwks.key_for(site.sso_jwks_url, kid=kid, alg=str(alg))
        except JwksUnavailable as exc:
            raise _invalid() from exc
    if site.sso_public_key:
        return site.sso_public_key
    raise _invalid()


def verify_publisher_token(
    site: Site, token: str, *, now: datetime, leeway: int = 30, jwks: JwksCache | None = None
) -> PublisherIdentity:
    """Check signature, allowed algorithm, aud, iss, exp and nbf; return the identity."""
    import jwt  # PyJWT loads `cryptography`: only where a publisher signs in

    algorithms = allowed_algorithms(site)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise _invalid() from exc
    if header.get("alg") not in algorithms:
        raise _invalid("The sign-in token uses an algorithm this site does not allow.")
    try:
        key = _key_for(site, header, jwks)
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=site.sso_audience or site.id,
            issuer=site.sso_issuer or None,
            options={
                "require": ["exp", "sub", "aud"],
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_iss": bool(site.sso_issuer),
            },
        )
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        # Every PyJWT failure, a key of the wrong type for the algorithm included, is a 401.
        raise _invalid() from exc
    return _identity_from_claims(claims, now=now, leeway=leeway)


def _numeric(value: Any) -> float:
    """A NumericDate as RFC 7519 has it: a finite JSON number, never a string like "NaN"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _identity_from_claims(
    claims: dict[str, Any], *, now: datetime, leeway: int
) -> PublisherIdentity:
    ts = now.timestamp()
    try:
        if _numeric(claims["exp"]) < ts - leeway:
            raise _invalid("The sign-in token has expired.")
        if "nbf" in claims and _numeric(claims["nbf"]) > ts + leeway:
            raise _invalid("The sign-in token is not valid yet.")
        if "iat" in claims and _numeric(claims["iat"]) > ts + leeway:
            raise _invalid("The sign-in token was issued in the future.")
        sub = claims["sub"]
        if not isinstance(sub, str | int) or not str(sub).strip():
            raise _invalid()
        expires_raw = claims.get("subscription_expires_at")
        expires = (
            datetime.fromtimestamp(_numeric(expires_raw), tz=UTC)
            if expires_raw is not None
            else None
        )
        subscriber_raw = claims.get("subscriber")
        if subscriber_raw is None:
            subscriber = expires is not None and expires > now
        else:
            subscriber = subscriber_raw is True
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise _invalid() from exc
    name = str(claims.get("name") or "").strip()[:100] or f"Reader {str(sub)[:8]}"
    email = claims.get("email")
    return PublisherIdentity(
        external_id=str(sub)[:200],
        display_name=name,
        email=str(email)[:320] if email else None,
        subscriber=subscriber,
        subscription_expires_at=expires,
    )
