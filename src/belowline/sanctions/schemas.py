"""Request shapes for sanctions; kinds are checked by the service (clear 422s)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SanctionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=16)
    rule_id: str | None = Field(default=None, max_length=64)
    until: datetime | None = None
    note: str | None = Field(default=None, max_length=5000)
    message: str | None = Field(default=None, max_length=5000)


class LiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=5000)
