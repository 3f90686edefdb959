"""HS secret rotation: tokens signed with the previous secret still verify until the grace ends.

It wraps the one verifier (`sso.verify_publisher_token`) rather than copying it: a token that
the current settings refuse is tried once more against the same site with the previous secret
in place of the current one, only for an HS token and only inside the grace period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from belowline.accounts.sso import SYMMETRIC, PublisherIdentity, verify_publisher_token
from belowline.errors import NotAuthenticated
from belowline.stories.models import Site


def previous_secret(site: Site, *, now: datetime) -> str | None:
    """The HS secret before the last rotation, while its grace period lasts."""
    until = site.sso_previous_secret_until
    if not site.sso_previous_secret or until is None or until <= now:
        return None
    return site.sso_previous_secret


def _with_secret(site: Site, secret: str) -> Site:
    """A detached copy of the site's sign-in settings with another HS secret (never saved)."""
    copy = Site(id=site.id, settings=site.settings)
    for column in Site.__table__.columns:
        if column.key.startswith("sso_"):
            setattr(copy, column.key, getattr(site, column.key))
    copy.sso_secret = secret
    return copy


def verify_rotating(
    site: Site, token: str, *, now: datetime, leeway: int = 30, **options: Any
) -> PublisherIdentity:
    """`verify_publisher_token`, also accepting the previous HS secret during its grace period."""
    try:
        return verify_publisher_token(site, token, now=now, leeway=leeway, **options)
    except NotAuthenticated:
        import jwt  # loaded by verify_publisher_token already

        previous = previous_secret(site, now=now)
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            alg = None
        if previous is None or alg not in SYMMETRIC:
            raise
        return verify_publisher_token(
            _with_secret(site, previous), token, now=now, leeway=leeway, **options
        )
