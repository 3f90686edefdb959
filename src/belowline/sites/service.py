"""A site's settings: read them (secrets as "set"/"not set"), change them validated whole, audited.

Every change is checked before anything is written: one bad field refuses the whole change
with a 422 naming it, and the site stays as it was. Each accepted change is one audit entry.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.accounts.sso import ASYMMETRIC, SYMMETRIC, allowed_algorithms
from belowline.accounts.sso_rotation import previous_secret
from belowline.audit import service as audit
from belowline.comments.views import iso
from belowline.errors import ErrorCode, Forbidden
from belowline.policy.config import SETTINGS_KEY, policy_config
from belowline.sites import validation as check
from belowline.stories.models import Site, Story
from belowline.stories.service import get_site
from belowline.triage.wordlists import DEFAULT_BANNED, DEFAULT_SUSPECT

MAX_ORIGINS = 50
MAX_EDIT_WINDOW = 7 * 86400
MAX_AUTO_CLOSE_DAYS = 3650
MAX_GRACE = 30 * 86400
SUBSCRIBER_BADGE = "subscriber_badge"  # a key of `site.settings`, read by comments.views
_SIMPLE = ("name", "origins", "subscribe_url", "edit_window_seconds", "auto_close_days")


def administered_site(session: Session, *, actor: User | None, site_id: str) -> Site:
    """The site, if the actor is one of its admins (others get 403, unknown sites 404)."""
    if not permissions.can_administer(actor, site_id):
        raise Forbidden("Only the site's admins can do that.", code=ErrorCode.FORBIDDEN)
    return get_site(session, site_id=site_id)


def triage_view(site: Site) -> dict[str, Any]:
    """The effective triage settings: thresholds (over the defaults) and the word lists."""
    settings = site.settings or {}
    config = policy_config(site)
    return {
        "thresholds": json.loads(json.dumps(config["thresholds"])),
        "banned_words": list(settings.get("banned_words", DEFAULT_BANNED)),
        "suspect_words": list(settings.get("suspect_words", DEFAULT_SUSPECT)),
        "reject_banned_words": bool(config.get("reject_banned_words")),
    }


def settings_view(site: Site, *, now: datetime) -> dict[str, Any]:
    """What an admin sees: every setting, secrets only as "set" or "not set"."""
    grace = previous_secret(site, now=now)
    return {
        "id": site.id,
        "name": site.name,
        "origins": list(site.origins or []),
        "subscribe_url": site.subscribe_url,
        "edit_window_seconds": site.edit_window_seconds,
        "auto_close_days": site.auto_close_days,
        "sso": {
            "algorithms": allowed_algorithms(site),
            "secret": "set" if site.sso_secret else "not set",
            "previous_secret": "set" if grace else "not set",
            "previous_secret_until": iso(site.sso_previous_secret_until) if grace else None,
            "public_key": site.sso_public_key,
            "jwks": site.sso_jwks,
            "jwks_url": site.sso_jwks_url,
            "issuer": site.sso_issuer,
            "audience": site.sso_audience,
        },
        "triage": triage_view(site),
        "subscriber_badge": bool((site.settings or {}).get(SUBSCRIBER_BADGE, False)),
        "created_at": iso(site.created_at),
    }


def list_sites(session: Session) -> list[Site]:
    """Every site, by name (the command line's `sites list`)."""
    return list(session.scalars(select(Site).order_by(Site.name, Site.id)))


def _simple(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in _SIMPLE:
        if field not in changes:
            continue
        value = changes[field]
        if field == "name":
            if value is None or not str(value).strip() or len(str(value).strip()) > 200:
                raise check.refuse("name", "a site needs a name (up to 200 characters).")
            value = str(value).strip()
        elif field == "origins":
            if not value or len(value) > MAX_ORIGINS:
                raise check.refuse("origins", f"one to {MAX_ORIGINS} origins.")
            value = list(dict.fromkeys(check.origin(o) for o in value))
        elif field == "subscribe_url":
            value = check.http_url(value, "subscribe_url")
        elif field == "edit_window_seconds":
            if value is None or not 0 <= value <= MAX_EDIT_WINDOW:
                raise check.refuse(
                    "edit_window_seconds", f"a number of seconds from 0 to {MAX_EDIT_WINDOW}."
                )
        elif value is not None and not 1 <= value <= MAX_AUTO_CLOSE_DAYS:
            raise check.refuse(
                "auto_close_days", f"1 to {MAX_AUTO_CLOSE_DAYS} days, or empty for never."
            )
        out[field] = value
    return out


def _sso(site: Site, sso: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "public_key" in sso:
        out["sso_public_key"] = check.public_key(sso["public_key"])
    if "jwks" in sso:
        out["sso_jwks"] = check.jwks(sso["jwks"])
    if "jwks_url" in sso:
        out["sso_jwks_url"] = check.http_url(sso["jwks_url"], "sso.jwks_url")
    for field in ("issuer", "audience"):
        if field in sso:
            value = (sso[field] or "").strip() or None
            if value is not None and len(value) > 500:
                raise check.refuse(f"sso.{field}", "up to 500 characters.")
            out[f"sso_{field}"] = value
    if "secret" in sso:
        new = sso["secret"]
        if new is not None and not 16 <= len(new) <= 512:
            raise check.refuse("sso.secret", "a shared secret has 16 to 512 characters.")
        grace = int(sso.get("secret_grace_seconds", 86400))
        if not 0 <= grace <= MAX_GRACE:
            raise check.refuse("sso.secret_grace_seconds", f"0 to {MAX_GRACE} seconds.")
        if new != site.sso_secret:
            keep = site.sso_secret if (site.sso_secret and new and grace > 0) else None
            out["sso_previous_secret"] = keep
            out["sso_previous_secret_until"] = now + timedelta(seconds=grace) if keep else None
            out["sso_secret"] = new
    if "algorithms" in sso:
        if not sso["algorithms"]:
            raise check.refuse("sso.algorithms", "allow at least one algorithm.")
        out["sso_algorithms"] = check.algorithms(sso["algorithms"])
    _check_keys_for_algorithms(site, out)
    return out


def _check_keys_for_algorithms(site: Site, out: dict[str, Any]) -> None:
    """Every allowed algorithm has something to check it with, after the change."""

    def after(column: str) -> Any:
        return out[column] if column in out else getattr(site, column)

    algs = after("sso_algorithms") or []
    if any(a in SYMMETRIC for a in algs) and not after("sso_secret"):
        raise check.refuse("sso.secret", "HS algorithms need a shared secret.")
    has_key = after("sso_public_key") or after("sso_jwks") or after("sso_jwks_url")
    if any(a in ASYMMETRIC for a in algs) and not has_key:
        raise check.refuse(
            "sso.algorithms", "RS/ES/PS algorithms need a public key, a JWKS or a JWKS URL."
        )


def _triage(site: Site, triage: dict[str, Any]) -> dict[str, Any]:
    """The site's new `settings` JSON with the triage changes applied (a fresh dict)."""
    settings: dict[str, Any] = json.loads(json.dumps(site.settings or {}))
    policy = dict(settings.get(SETTINGS_KEY) or {})
    if "thresholds" in triage and triage["thresholds"] is not None:
        current = policy_config(site)["thresholds"]
        policy["thresholds"] = check.threshold_overrides(triage["thresholds"], current)
    if triage.get("reject_banned_words") is not None:
        policy["reject_banned_words"] = bool(triage["reject_banned_words"])
    settings[SETTINGS_KEY] = policy
    for field in ("banned_words", "suspect_words"):
        if field in triage:
            value = check.words(triage[field], f"triage.{field}")
            if value is None:
                settings.pop(field, None)
            else:
                settings[field] = value
    return settings


def proposed_triage(site: Site, triage: dict[str, Any]) -> dict[str, Any]:
    """Validate triage changes without saving; return what the settings would become."""
    settings = _triage(site, triage)
    probe = Site(id=f"{site.id}#preview", settings=settings)
    return triage_view(probe)


def _subscriber_badge(changes: dict[str, Any]) -> bool | None:
    """The badge switch, if the change names it: true or false, nothing else."""
    if SUBSCRIBER_BADGE not in changes:
        return None
    value = changes[SUBSCRIBER_BADGE]
    if not isinstance(value, bool):
        raise check.refuse(SUBSCRIBER_BADGE, "true or false.")
    return value


def _public_name(column: str) -> str:
    if column.startswith("sso_previous_secret"):
        return "sso.secret"
    return "sso." + column.removeprefix("sso_") if column.startswith("sso_") else column


def update_site(
    session: Session, *, site: Site, actor: User | None, changes: dict[str, Any], now: datetime
) -> list[str]:
    """Apply a change validated whole; returns the fields changed (audited as one entry)."""
    columns = _simple(changes)
    if changes.get("sso") is not None:
        columns.update(_sso(site, changes["sso"], now=now))
    new_settings = _triage(site, changes["triage"]) if changes.get("triage") else None
    badge = _subscriber_badge(changes)
    before = json.dumps(settings_view(site, now=now), sort_keys=True)
    changed = [c for c, v in columns.items() if getattr(site, c) != v]
    for column, value in columns.items():
        setattr(site, column, value)
    if new_settings is not None and new_settings != (site.settings or {}):
        site.settings = new_settings
        changed.append("triage")
    if badge is not None and badge != bool((site.settings or {}).get(SUBSCRIBER_BADGE, False)):
        site.settings = {**(site.settings or {}), SUBSCRIBER_BADGE: badge}
        changed.append(SUBSCRIBER_BADGE)
        # Badges are in every cached thread page: each story's version moves on.
        session.execute(
            update(Story).where(Story.site_id == site.id).values(version=Story.version + 1)
        )
    if not changed:
        return []
    shown = sorted({_public_name(c) for c in changed})
    audit.write(
        session,
        site_id=site.id,
        actor=actor,
        action="site.update",
        target_type="site",
        target_id=site.id,
        note="Changed: " + ", ".join(shown),
        before=before,
        after=json.dumps(settings_view(site, now=now), sort_keys=True),
        now=now,
    )
    session.flush()
    return shown
