"""Request and response shapes for stories."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from belowline.stories.urls import StoryUrl


class StoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=500)
    url: StoryUrl = Field(min_length=1, max_length=1000)
    text: str | None = Field(default=None, max_length=200_000)
    closed: bool | None = None
    premoderate: bool | None = None
    auto_close_days: int | None = Field(default=None, ge=1, le=3650)


class StoryOut(BaseModel):
    id: str
    site_id: str
    title: str
    url: str
    closed: bool
    open: bool
    premoderate: bool
    auto_close_days: int | None
    comment_count: int
    created_at: str
    announcement: dict[str, str | None] | None = None
