"""Request shapes for Q&A mode."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from belowline.ids import RowId


class ModeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["open", "closed", "off"]


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expert_id: RowId


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=20000)
    accept_terms_version: int | None = Field(default=None, ge=1, le=1_000_000)
