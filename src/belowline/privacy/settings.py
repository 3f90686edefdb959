"""A site's privacy settings: what erasure does to comments, and how long records are kept."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from belowline.stories.models import Site

SETTINGS_KEY = "privacy"


class PrivacySettings(BaseModel):
    """Stored in the site's settings; every field has a safe default."""

    model_config = ConfigDict(extra="forbid")

    # On erasure, keep the comments under "Former reader" or delete their text.
    erase_comments: Literal["anonymise", "delete"] = "anonymise"
    # Email copies (addresses and text) and delivery records are purged after this many days.
    mail_days: int = Field(default=30, ge=1, le=3650)


class PrivacySettingsIn(BaseModel):
    """A change to some of the settings."""

    model_config = ConfigDict(extra="forbid")

    erase_comments: Literal["anonymise", "delete"] | None = None
    mail_days: int | None = Field(default=None, ge=1, le=3650)


def get(site: Site) -> PrivacySettings:
    raw = (site.settings or {}).get(SETTINGS_KEY) or {}
    return PrivacySettings.model_validate(raw)


def update(session: Session, *, site: Site, change: PrivacySettingsIn) -> PrivacySettings:
    """Apply a change (validated by the schema) and store the whole settings block."""
    merged: dict[str, Any] = {**get(site).model_dump(), **change.model_dump(exclude_none=True)}
    new = PrivacySettings.model_validate(merged)
    site.settings = {**(site.settings or {}), SETTINGS_KEY: new.model_dump()}
    session.flush()
    return new
