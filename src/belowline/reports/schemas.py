"""Request shapes for readers' reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=32)
    detail: str | None = Field(default=None, max_length=5000)
