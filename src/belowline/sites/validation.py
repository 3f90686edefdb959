"""Checks for site settings, each naming the field it refuses, so nothing half-valid is saved."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from belowline.accounts.sso import ASYMMETRIC, SYMMETRIC
from belowline.errors import ErrorCode, InvalidInput

LEVELS = ("full", "part", "none")
SIGNALS = ("abuse", "spam", "off_topic")
STEPS = ("flag", "hold")
MAX_WORDS = 1000
_PRIVATE_JWK = ("d", "p", "q", "dp", "dq", "qi", "k")
_WORD = re.compile(r"^\*?[^*]+\*?$")


def refuse(field: str, message: str) -> InvalidInput:
    """A 422 naming the field: the API, the dashboard and the CLI all show it."""
    return InvalidInput(
        f"{field}: {message}",
        code=ErrorCode.VALIDATION_ERROR,
        field=field,
        fields=[{"field": field, "message": message}],
    )


def origin(value: str, field: str = "origins") -> str:
    """An http(s) origin (scheme, host, optional port; nothing after), normalised."""
    raw = value.strip().rstrip("/")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise refuse(field, f"{value!r} is not an http(s) origin.") from exc
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise refuse(field, f"{value!r} is not an http(s) origin such as https://example.com.")
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def http_url(value: str | None, field: str) -> str | None:
    """An absolute http(s) URL, or None to clear it."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in raw or len(raw) > 1000:
        raise refuse(field, f"{value!r} is not an http(s) address.")
    return raw


def algorithms(values: list[str]) -> list[str]:
    known = ASYMMETRIC | SYMMETRIC
    out: list[str] = []
    for alg in values:
        if alg not in known:
            raise refuse("sso.algorithms", f"unknown algorithm {alg!r} (use {sorted(known)}).")
        if alg not in out:
            out.append(alg)
    return out


def public_key(pem: str | None) -> str | None:
    """A PEM public key (RSA or EC) or None; private keys are refused."""
    if pem is None or not pem.strip():
        return None
    text = pem.strip()
    if len(text) > 20000:
        raise refuse("sso.public_key", "too long for a public key.")
    if "PRIVATE KEY" in text:
        raise refuse("sso.public_key", "that is a private key; paste the public key only.")
    from cryptography.hazmat.primitives.serialization import load_pem_public_key  # 9 MB: here

    try:
        load_pem_public_key(text.encode())
    except (ValueError, TypeError) as exc:
        raise refuse("sso.public_key", "not a PEM public key.") from exc
    return text + "\n"


def jwks(value: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """An inline JWK set of public keys, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise refuse("sso.jwks", "not valid JSON.") from exc
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list) or not value["keys"]:
        raise refuse("sso.jwks", 'a JWK set is an object {"keys": [...]} with at least one key.')
    for key in value["keys"]:
        if not isinstance(key, dict):
            raise refuse("sso.jwks", "every key must be an object.")
        if any(p in key for p in _PRIVATE_JWK):
            raise refuse(
                "sso.jwks", "a key holds private or symmetric material; publish public keys only."
            )
    import jwt  # PyJWT loads `cryptography`: only when a site's keys are set

    try:
        jwk_set = jwt.PyJWKSet.from_dict(value)
    except (jwt.PyJWKSetError, jwt.PyJWKError, ValueError, TypeError, KeyError) as exc:
        raise refuse("sso.jwks", f"not a usable JWK set ({exc}).") from exc
    if len(jwk_set.keys) != len(value["keys"]):
        raise refuse("sso.jwks", "a key is of an unsupported type.")
    return value


def threshold_overrides(value: Any, current: dict[str, Any]) -> dict[str, Any]:
    """Merge threshold changes over the current ones; every value in [0, 1] or null, flag ≤ hold."""
    if not isinstance(value, dict):
        raise refuse("triage.thresholds", "an object by coverage level (full, part, none).")
    merged: dict[str, Any] = json.loads(json.dumps(current))
    for level, signals in value.items():
        where = f"triage.thresholds.{level}"
        if level not in LEVELS or not isinstance(signals, dict):
            raise refuse(where, f"coverage levels are {', '.join(LEVELS)}, each an object.")
        for signal, steps in signals.items():
            where_s = f"{where}.{signal}"
            if signal not in SIGNALS or not isinstance(steps, dict):
                raise refuse(where_s, f"signals are {', '.join(SIGNALS)}, each an object.")
            for step, limit in steps.items():
                where_t = f"{where_s}.{step}"
                if step not in STEPS:
                    raise refuse(where_t, "each signal has a flag and a hold threshold.")
                if limit is not None and (
                    isinstance(limit, bool)
                    or not isinstance(limit, int | float)
                    or not 0 <= limit <= 1
                ):
                    raise refuse(where_t, "a threshold is a number from 0 to 1, or null for never.")
                merged[level][signal][step] = None if limit is None else float(limit)
    for level in LEVELS:
        for signal in SIGNALS:
            limits = merged[level][signal]
            flag, hold = limits["flag"], limits["hold"]
            if flag is not None and hold is not None and flag > hold:
                raise refuse(
                    f"triage.thresholds.{level}.{signal}",
                    "the flag threshold must not be above the hold threshold.",
                )
    return merged


def words(value: Any, field: str) -> list[str] | None:
    """A word list (entries with an optional * at either end), or None for the defaults."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or len(value) > MAX_WORDS:
        raise refuse(field, f"a list of at most {MAX_WORDS} words or phrases.")
    out: list[str] = []
    for entry in value:
        if not isinstance(entry, str):
            raise refuse(field, "every entry is a word or phrase.")
        text = " ".join(entry.split()).lower()
        if not text:
            continue
        if len(text) > 100 or not _WORD.match(text) or not any(c.isalnum() for c in text):
            raise refuse(field, f"{entry!r} is not a word or phrase (a * only at either end).")
        if text not in out:
            out.append(text)
    return out
