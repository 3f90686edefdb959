"""Sites and stories: configuration a publisher owns, and the articles threads belong to."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from belowline.db.prepared import Loader, Prepared, attach
from belowline.errors import BelowlineError, ErrorCode, InvalidInput, NotFound
from belowline.stories import facts
from belowline.stories.models import Site, Story
from belowline.stories.story_token import verify_story_token

_SLUG = re.compile(r"[^a-z0-9]+")
STORY_ID_RE = re.compile(r"^[A-Za-z0-9._~:/@!$&'()*+,;=-]{1,200}$")


def slugify(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")[:40] or "site"


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_site(
    session: Session,
    *,
    name: str,
    origins: list[str],
    now: datetime,
    site_id: str | None = None,
    sso_secret: str | None = None,
    subscribe_url: str | None = None,
    signin_url: str | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[Site, str]:
    """Create a site; returns it with a fresh API key shown only this once."""
    if not name.strip():
        raise InvalidInput("A site needs a name.", code=ErrorCode.VALIDATION_ERROR)
    sid = site_id or slugify(name)
    if session.get(Site, sid) is not None:
        if site_id:
            raise BelowlineError(
                "A site with that id exists.", code=ErrorCode.ALREADY_EXISTS, status_code=409
            )
        sid = f"{sid}-{secrets.token_hex(3)}"
    api_key = "blk_" + secrets.token_urlsafe(24)
    site = Site(
        id=sid,
        name=name.strip(),
        origins=[o.rstrip("/") for o in origins],
        sso_secret=sso_secret,
        sso_algorithms=["HS256"] if sso_secret else [],
        subscribe_url=subscribe_url,
        signin_url=signin_url,
        api_key_hash=hash_api_key(api_key),
        created_at=now,
        settings={},
        **(extra or {}),
    )
    session.add(site)
    session.flush()
    return site, api_key


def get_site(session: Session, *, site_id: str) -> Site:
    """Get a site or raise `site_not_found`."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound("There is no site with that id.", code=ErrorCode.SITE_NOT_FOUND)
    return site


def site_for_post(session: Session, *, site_id: str, story: str | None = None) -> Site:
    """Like get_site, from the process's copy of the site when it is current (read-only use);
    with `story` (an external id) the same statement reads the story `find_story` asks next."""
    site = facts.site(session, site_id, story=story)
    if site is None:
        raise NotFound("There is no site with that id.", code=ErrorCode.SITE_NOT_FOUND)
    return site


def check_api_key(site: Site, key: str | None) -> bool:
    """Return True if `key` is the site's API key (constant-time compare)."""
    if not key or not site.api_key_hash:
        return False
    return secrets.compare_digest(hash_api_key(key), site.api_key_hash)


# Built once: building a SELECT costs more than running it (every post looks its story up).
_FIND_STORY = Loader(
    Story, Story.site_id == bindparam("site_id"), Story.external_id == bindparam("external_id")
)


def find_story(session: Session, *, site_id: str, external_id: str) -> Story | None:
    known, values = facts.prefetched_story(session, site_id, external_id)
    if known:
        if values is None:
            return None
        story = attach(session, Story, values)
        if not sa_inspect(story).expired_attributes:
            return story
    return _FIND_STORY.first(session, {"site_id": site_id, "external_id": external_id})


@dataclass(frozen=True, slots=True)
class StoryRef:
    """What a public thread page needs of its story, read as one plain row (no ORM object)."""

    id: int
    site_id: str
    external_id: str
    version: int
    comment_count: int


def find_story_ref(session: Session, *, site_id: str, external_id: str) -> StoryRef | None:
    row = session.execute(
        select(
            Story.id, Story.site_id, Story.external_id, Story.version, Story.comment_count
        ).where(Story.site_id == site_id, Story.external_id == external_id)
    ).first()
    return None if row is None else StoryRef(*row)


def ref_of(story: Story) -> StoryRef:
    return StoryRef(story.id, story.site_id, story.external_id, story.version, story.comment_count)


def get_story(session: Session, *, site_id: str, external_id: str) -> Story:
    """Get a story by the publisher's id or raise `story_not_found`."""
    story = find_story(session, site_id=site_id, external_id=external_id)
    if story is None:
        raise NotFound(
            "There is no story with that id on this site.", code=ErrorCode.STORY_NOT_FOUND
        )
    return story


def upsert_story(
    session: Session,
    *,
    site_id: str,
    external_id: str,
    now: datetime,
    title: str | None = None,
    url: str | None = None,
    text: str | None = None,
    closed: bool | None = None,
    premoderate: bool | None = None,
    auto_close_days: int | None = None,
) -> Story:
    """Create or update a story; only the fields given change."""
    if not STORY_ID_RE.match(external_id):
        raise InvalidInput(
            "Story ids are 1-200 URL-safe characters.", code=ErrorCode.VALIDATION_ERROR
        )
    story = find_story(session, site_id=site_id, external_id=external_id)
    if story is None:
        story = Story(
            site_id=site_id,
            external_id=external_id,
            created_at=now,
            title="",
            url="",
            text="",
            comment_count=0,
            version=1,
            closed=False,
            premoderate=False,
        )
        session.add(story)
    for field, value in (
        ("title", title),
        ("url", url),
        ("text", text),
        ("closed", closed),
        ("premoderate", premoderate),
        ("auto_close_days", auto_close_days),
    ):
        if value is not None:
            setattr(story, field, value)
    story.version = (story.version or 0) + 1
    session.flush()
    return story


def story_for_embed(
    session: Session,
    *,
    site: Site,
    external_id: str,
    story_token: str | None,
    title: str | None,
    url: str | None,
    now: datetime,
) -> Story:
    """Find a story, creating it on first use when the page carries the site's story token."""
    story = find_story(session, site_id=site.id, external_id=external_id)
    if story is not None:
        return story
    if not story_token:
        raise NotFound(
            "There is no story with that id on this site.", code=ErrorCode.STORY_NOT_FOUND
        )
    claims = verify_story_token(site, story_token, story_id=external_id, now=now)
    story = Story(
        site_id=site.id,
        external_id=external_id,
        created_at=now,
        title=(claims.title or title or "")[:500],
        url=(claims.url or url or "")[:1000],
        text="",
        comment_count=0,
        version=1,
        closed=False,
        premoderate=False,
    )
    # INSERT first, in a savepoint: two first comments at once cannot both create the story,
    # and the one that loses finds the other's (a lookup before the INSERT would not).
    try:
        with session.begin_nested():
            session.add(story)
            session.flush()
    except IntegrityError:
        found = find_story(session, site_id=site.id, external_id=external_id)
        if found is None:
            raise
        return found
    return story


def is_open(story: Story, *, now: datetime) -> bool:
    """Return True if the story takes new comments (not closed, not past auto-close)."""
    if story.closed:
        return False
    days = story.auto_close_days
    if days is None:
        # The site's default (identity-map lookup: the site is already loaded on a post).
        owner = object_session(story)
        site = owner.get(Site, story.site_id) if owner is not None else None
        days = site.auto_close_days if site is not None else None
    if days is not None:
        return (now - story.created_at).days < days
    return True


def bump_version(session: Session, *, story_id: int, count_delta: int = 0) -> None:
    """Invalidate cached pages of a story (and move its visible count)."""
    # A Core UPDATE: the ORM's version evaluates the new values against the identity map,
    # most of a post's UPDATE cost; the loaded story's two columns are expired instead.
    _BUMP.execute(session, {"story_id": story_id, "delta": count_delta})
    loaded = session.identity_map.get(identity_key(Story, story_id))
    if loaded is not None:
        session.expire(loaded, ["version", "comment_count"])


_STORIES = cast(Table, Story.__table__)
_BUMP = Prepared(
    update(_STORIES)
    .where(_STORIES.c.id == bindparam("story_id"))
    .values(
        version=_STORIES.c.version + 1,
        comment_count=_STORIES.c.comment_count + bindparam("delta"),
    )
)


def counts(session: Session, *, site_id: str, external_ids: list[str]) -> dict[str, int]:
    """Visible comment counts for many stories in one query; unknown stories count 0."""
    result = dict.fromkeys(external_ids, 0)
    if not external_ids:
        return result
    rows = session.execute(
        select(Story.external_id, Story.comment_count).where(
            Story.site_id == site_id, Story.external_id.in_(external_ids)
        )
    )
    for external_id, count in rows:
        result[external_id] = count
    return result
