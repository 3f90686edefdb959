"""Request shapes for webhooks; event names and the URL are checked by the service (422s)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000)
    events: list[str] = Field(max_length=20)
    secret: str | None = Field(default=None, max_length=200)
