"""Request shapes for decisions; enum values are checked by the service (clear 422s)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from belowline.ids import RowId


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(max_length=16)
    rule_id: str | None = Field(default=None, max_length=64)
    body: str | None = Field(default=None, max_length=20_000)
    note: str | None = Field(default=None, max_length=5000)
    message: str | None = Field(default=None, max_length=5000)
    expected_version: int | None = None


class BulkDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment_ids: list[RowId] = Field(max_length=1000)
    action: str = Field(max_length=16)
    rule_id: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=5000)
    message: str | None = Field(default=None, max_length=5000)
