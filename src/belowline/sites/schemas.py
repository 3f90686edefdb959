"""Request shapes for site settings: every field optional, unknown fields refused."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

DAY = 86400


class SsoPatch(BaseModel):
    """Single sign-on: which algorithms, and the keys to check them with."""

    model_config = ConfigDict(extra="forbid")

    algorithms: list[str] | None = Field(default=None, max_length=10)
    secret: str | None = Field(default=None, min_length=16, max_length=512)
    # How long tokens signed with the secret being replaced are still accepted.
    secret_grace_seconds: int = Field(default=DAY, ge=0, le=30 * DAY)
    public_key: str | None = Field(default=None, max_length=20000)
    jwks: dict[str, Any] | None = None
    jwks_url: str | None = Field(default=None, max_length=1000)
    issuer: str | None = Field(default=None, max_length=500)
    audience: str | None = Field(default=None, max_length=500)


class TriagePatch(BaseModel):
    """Triage: thresholds per coverage level and the site's word lists."""

    model_config = ConfigDict(extra="forbid")

    thresholds: dict[str, Any] | None = None
    banned_words: list[str] | None = Field(default=None, max_length=1000)
    suspect_words: list[str] | None = Field(default=None, max_length=1000)
    reject_banned_words: bool | None = None


class SitePatch(BaseModel):
    """`PATCH /api/v1/sites/{id}`: only the fields given change; null clears what may be empty."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    origins: list[str] | None = Field(default=None, max_length=50)
    subscribe_url: str | None = Field(default=None, max_length=1000)
    edit_window_seconds: int | None = Field(default=None, ge=0, le=7 * DAY)
    auto_close_days: int | None = Field(default=None, ge=1, le=3650)
    sso: SsoPatch | None = None
    triage: TriagePatch | None = None
    subscriber_badge: StrictBool | None = None  # a "Subscriber" mark beside subscribers' names


def changes_of(body: BaseModel) -> dict[str, Any]:
    """The fields the caller actually sent (null included), nested models as dicts."""
    out: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        out[name] = changes_of(value) if isinstance(value, BaseModel) else value
    return out
