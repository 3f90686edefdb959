"""Request shapes for editor tools."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AnnouncementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2000)
