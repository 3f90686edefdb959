"""Request shapes for a reader's email preferences."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictBool


class PreferencesIn(BaseModel):
    """Any subset of the preferences; unknown fields and non-booleans are refused."""

    model_config = ConfigDict(extra="forbid")

    email_replies: StrictBool | None = None
    email_decisions: StrictBool | None = None
    email_report_outcomes: StrictBool | None = None
    digest: Literal["off", "daily"] | None = None
