"""Community rules: each published version is kept; acceptance is per user and version.

Invariants: versions only grow; a rule's `key` is the id decisions cite, stable across versions.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from belowline.accounts import poster
from belowline.accounts.models import User
from belowline.db.prepared import Prepared
from belowline.errors import ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.rules.defaults import DEFAULT_RULES, INTRO
from belowline.rules.models import Rule, RulesVersion, TermsAcceptance
from belowline.stories import facts

RULE_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class RuleText:
    key: str
    title: str
    text_md: str


@dataclass(frozen=True)
class RuleSet:
    version: int
    updated_at: datetime
    intro_md: str
    rules: list[RuleText]

    def rule(self, key: str) -> RuleText | None:
        return next((r for r in self.rules if r.key == key), None)


# A published version's rules never change, so they are cached by database and version row.
_RULES_BY_VERSION: weakref.WeakKeyDictionary[Any, dict[int, tuple[RuleText, ...]]] = (
    weakref.WeakKeyDictionary()
)


def current_rules(session: Session, *, site_id: str) -> RuleSet | None:
    """The newest published rules of a site, or None if it has none yet."""
    known = facts.current(session, site_id)
    if known is None:
        return None
    if "rules" in known.memo:
        kept: RuleSet | None = known.memo["rules"]
        return kept
    rules = _read_rules(session, site_id=site_id)
    known.remember("rules", rules)
    return rules


def _read_rules(session: Session, *, site_id: str) -> RuleSet | None:
    rv = session.execute(
        select(
            RulesVersion.id, RulesVersion.version, RulesVersion.published_at, RulesVersion.intro_md
        )
        .where(RulesVersion.site_id == site_id)
        .order_by(RulesVersion.version.desc())
        .limit(1)
    ).first()
    if rv is None:
        return None
    cache = _RULES_BY_VERSION.setdefault(session.get_bind(), {})
    rules = cache.get(rv.id)
    if rules is None:
        rows = session.scalars(
            select(Rule).where(Rule.rules_version_id == rv.id).order_by(Rule.position)
        ).all()
        rules = tuple(RuleText(r.key, r.title, r.text_md) for r in rows)
        if len(cache) > 10_000:
            cache.clear()
        cache[rv.id] = rules
    return RuleSet(
        version=rv.version,
        updated_at=rv.published_at,
        intro_md=rv.intro_md,
        rules=list(rules),
    )


def require_rules(session: Session, *, site_id: str) -> RuleSet:
    rules = current_rules(session, site_id=site_id)
    if rules is None:
        raise NotFound("This site has not published its rules.", code=ErrorCode.RULE_NOT_FOUND)
    return rules


def publish_rules(
    session: Session,
    *,
    site_id: str,
    intro_md: str,
    rules: list[RuleText],
    now: datetime,
    actor: User | None = None,
) -> RuleSet:
    """Publish a new version; every commenter must accept it before their next post."""
    if not rules:
        raise InvalidInput("Publish at least one rule.", code=ErrorCode.VALIDATION_ERROR)
    keys = [r.key for r in rules]
    if len(set(keys)) != len(keys) or not all(RULE_KEY_RE.match(k) for k in keys):
        raise InvalidInput(
            "Rule ids must be unique, lower-case letters, digits and hyphens.",
            code=ErrorCode.VALIDATION_ERROR,
        )
    if any(not r.title.strip() or not r.text_md.strip() for r in rules):
        raise InvalidInput("Every rule needs a title and text.", code=ErrorCode.VALIDATION_ERROR)
    latest = session.scalar(
        select(func.max(RulesVersion.version)).where(RulesVersion.site_id == site_id)
    )
    rv = RulesVersion(
        site_id=site_id,
        version=(latest or 0) + 1,
        intro_md=intro_md,
        published_at=now,
        published_by_id=actor.id if actor else None,
    )
    session.add(rv)
    session.flush()
    for position, r in enumerate(rules):
        session.add(
            Rule(
                rules_version_id=rv.id,
                key=r.key,
                title=r.title.strip(),
                text_md=r.text_md.strip(),
                position=position,
            )
        )
    session.flush()
    return require_rules(session, site_id=site_id)


def ensure_default_rules(session: Session, *, site_id: str, now: datetime) -> RuleSet:
    """Give a new site the starter rules if it has none."""
    existing = current_rules(session, site_id=site_id)
    if existing is not None:
        return existing
    return publish_rules(
        session,
        site_id=site_id,
        intro_md=INTRO,
        rules=[RuleText(k, t, x) for k, t, x in DEFAULT_RULES],
        now=now,
    )


# Built once: building a SELECT costs more than running it (a post checks this).
_ACCEPTED_VERSION = Prepared(
    select(func.max(TermsAcceptance.version)).where(TermsAcceptance.user_id == bindparam("user_id"))
)


# Read with the poster's row (accounts/poster.py): a post then spends no statement of its own.
poster.register(
    "accepted_terms",
    lambda user_id: (
        select(func.max(TermsAcceptance.version))
        .where(TermsAcceptance.user_id == user_id)
        .scalar_subquery()
    ),
)


def accepted_version(session: Session, *, user_id: int) -> int | None:
    """The newest rules version this user accepted, if any."""
    known, prefetched = poster.prefetched(session, user_id=user_id, name="accepted_terms")
    if known:
        return None if prefetched is None else int(prefetched)
    version: int | None = _ACCEPTED_VERSION.scalar(session, {"user_id": user_id})
    return version


def terms_to_record(
    session: Session, *, user: User, accept_version: int | None, now: datetime
) -> TermsAcceptance | None:
    """Check the rules were accepted; an acceptance offered now is returned, not yet written."""
    rules = current_rules(session, site_id=user.site_id)
    if rules is None:
        return None
    # Who accepted the current rules, once read: acceptances are never withdrawn, and a newer
    # version bumps the site's facts (an id reused after an erasure has another creation time).
    known = facts.current(session, user.site_id)
    key = ("accepted", user.id, user.created_at)
    if known is not None and key in known.memo:
        return None
    if accepted_version(session, user_id=user.id) == rules.version:
        if known is not None:
            known.remember(key, True)
        return None
    if accept_version is None or accept_version != rules.version:
        raise Forbidden(
            f"Please read and accept the community rules (version {rules.version}) before posting.",
            code=ErrorCode.TERMS_NOT_ACCEPTED,
            current_version=rules.version,
        )
    return TermsAcceptance(
        user_id=user.id, site_id=user.site_id, version=rules.version, accepted_at=now
    )


def require_current_terms(
    session: Session, *, user: User, accept_version: int | None, now: datetime
) -> None:
    """Record acceptance of the current rules if offered, else insist it was given before."""
    acceptance = terms_to_record(session, user=user, accept_version=accept_version, now=now)
    if acceptance is not None:
        session.add(acceptance)
        session.flush()
