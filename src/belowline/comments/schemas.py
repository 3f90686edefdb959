"""Request shapes for comments; responses are the contract's Comment objects."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from belowline.ids import RowId
from belowline.stories.urls import StoryUrl


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=20_000)
    parent_id: RowId | None = None
    accept_terms_version: int | None = None
    story_title: str | None = Field(default=None, max_length=500)
    story_url: StoryUrl | None = Field(default=None, max_length=1000)
    # The publisher's signed story token (the embed's data-story-token): creates the story
    # on first use. Without it, only stories registered by the API take comments.
    story_token: str | None = Field(default=None, max_length=4000)


class CommentEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=20_000)


class PreviewIn(BaseModel):
    """Text to render as the composer's preview; nothing is stored."""

    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=20_000)
