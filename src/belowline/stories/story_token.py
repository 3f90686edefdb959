"""Story tokens: the publisher's signed word that a story exists, so the embed may create it
on first use. An `Origin` header is no authority (any client can send one); a token signed
with the site's shared secret (the one its HS256 single sign-on uses) is.

A token names one story of one site and may carry its title and URL, which then win over
what the page says. It is public (it sits in the page), so it authorises nothing else."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from belowline.accounts import hs256
from belowline.errors import ErrorCode, Forbidden
from belowline.stories.models import Site
from belowline.stories.urls import is_web_url

TOKEN_TYPE = "belowline-story"  # noqa: S105 - a claim value, not a secret


@dataclass(frozen=True)
class StoryClaims:
    external_id: str
    title: str | None
    url: str | None


def sign_story_token(
    *,
    secret: str,
    site_id: str,
    story_id: str,
    title: str | None = None,
    url: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """What a publisher's page template signs for the embed's `data-story-token`."""
    claims: dict[str, Any] = {"typ": TOKEN_TYPE, "aud": site_id, "story": story_id}
    if title:
        claims["title"] = title
    if url:
        claims["url"] = url
    if expires_at is not None:
        claims["exp"] = int(expires_at.timestamp())
    return hs256.encode(claims, secret)


def _refused() -> Forbidden:
    return Forbidden(
        "This story is not registered and the page's story token was not accepted.",
        code=ErrorCode.INVALID_STORY_TOKEN,
    )


def verify_story_token(site: Site, token: str, *, story_id: str, now: datetime) -> StoryClaims:
    """The token's claims if the site signed it for this story; else a 403."""
    if not site.sso_secret:
        raise _refused()
    try:
        claims = hs256.decode(token, site.sso_secret)
        hs256.require(claims, ("story", "aud", "typ"))
        hs256.check_audience(claims, site.id)
        hs256.check_not_before(claims, now=time.time())  # as PyJWT did: the wall clock
    except (ValueError, TypeError) as exc:
        raise _refused() from exc
    exp = claims.get("exp")
    if exp is not None and (
        isinstance(exp, bool) or not isinstance(exp, int | float) or exp < now.timestamp()
    ):
        raise _refused()
    if claims.get("typ") != TOKEN_TYPE or claims.get("story") != story_id:
        raise _refused()
    title, url = claims.get("title"), claims.get("url")
    return StoryClaims(
        external_id=story_id,
        title=title[:500] if isinstance(title, str) else None,
        url=url[:1000] if isinstance(url, str) and is_web_url(url) else None,
    )
