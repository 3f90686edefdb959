"""The Settings page's form, read into the change the API takes (one validator judges both)."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import FormData

from belowline.accounts.sso import ASYMMETRIC, SYMMETRIC
from belowline.sites.validation import LEVELS, SIGNALS, STEPS, refuse

ALGORITHMS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
assert set(ALGORITHMS) == ASYMMETRIC | SYMMETRIC  # noqa: S101 - both lists name every algorithm


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _int_or_none(form: FormData, name: str) -> int | None:
    raw = _text(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise refuse(name, "a whole number.") from exc


def _lines(form: FormData, name: str) -> list[str]:
    return [line.strip() for line in _text(form, name).splitlines() if line.strip()]


def triage_changes(form: FormData, current: dict[str, Any]) -> dict[str, Any]:
    """What differs from the current triage settings (thresholds blank = never), as the API's
    `triage` object: an untouched form changes nothing (the defaults stay defaults)."""
    thresholds: dict[str, Any] = {}
    for level in LEVELS:
        for signal in SIGNALS:
            for step in STEPS:
                field = f"triage.thresholds.{level}.{signal}.{step}"
                raw = _text(form, field)
                try:
                    value = float(raw) if raw else None
                except ValueError as exc:
                    raise refuse(field, "a number from 0 to 1, or blank for never.") from exc
                thresholds.setdefault(level, {}).setdefault(signal, {})[step] = value
    typed = {
        "thresholds": thresholds,
        "banned_words": _lines(form, "triage.banned_words"),
        "suspect_words": _lines(form, "triage.suspect_words"),
        "reject_banned_words": form.get("triage.reject_banned_words") == "on",
    }
    return {key: value for key, value in typed.items() if value != current[key]}


def _sso_changes(form: FormData, current: dict[str, Any]) -> dict[str, Any]:
    sso: dict[str, Any] = {
        "public_key": _text(form, "sso.public_key") or None,
        "jwks_url": _text(form, "sso.jwks_url") or None,
        "issuer": _text(form, "sso.issuer") or None,
        "audience": _text(form, "sso.audience") or None,
    }
    raw_jwks = _text(form, "sso.jwks")
    if raw_jwks:
        try:
            sso["jwks"] = json.loads(raw_jwks)
        except ValueError as exc:
            raise refuse("sso.jwks", "not valid JSON.") from exc
    else:
        sso["jwks"] = None
    secret = _text(form, "sso.secret")
    if secret:
        if len(secret) < 16:
            raise refuse("sso.secret", "a shared secret has at least 16 characters.")
        sso["secret"] = secret
        hours = _int_or_none(form, "sso.grace_hours")
        sso["secret_grace_seconds"] = max(hours if hours is not None else 24, 0) * 3600
    elif form.get("sso.remove_secret") == "on":
        sso["secret"] = None
    algorithms = [a for a in form.getlist("sso.algorithms") if isinstance(a, str)]
    if algorithms != current["algorithms"]:
        sso["algorithms"] = algorithms
    return sso


def site_changes(form: FormData, current: dict[str, Any]) -> dict[str, Any]:
    """Everything on the page, as a `PATCH /api/v1/sites/{id}` body."""
    return {
        "name": _text(form, "name"),
        "origins": _lines(form, "origins"),
        "subscribe_url": _text(form, "subscribe_url") or None,
        "edit_window_seconds": _int_or_none(form, "edit_window_seconds"),
        "auto_close_days": _int_or_none(form, "auto_close_days"),
        "sso": _sso_changes(form, current["sso"]),
        "triage": triage_changes(form, current["triage"]),
        "subscriber_badge": form.get("subscriber_badge") == "on",
    }
