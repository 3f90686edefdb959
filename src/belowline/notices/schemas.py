"""Request shapes for notices; meaning is checked by the service so every field gets a 422."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class UkComplaintIn(BaseModel):
    """The extra fields of a UK notice of complaint (Regulations 2013, reg. 2)."""

    model_config = ConfigDict(extra="forbid")
    statement: str | None = Field(default=None, max_length=10_000)
    meaning: str | None = Field(default=None, max_length=10_000)
    why_defamatory: str | None = Field(default=None, max_length=10_000)
    inaccurate: str | None = Field(default=None, max_length=10_000)
    poster_unknown: bool | None = None
    share_details: bool = False


class NoticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment_id: int
    reason: str = Field(max_length=32)
    explanation: str | None = Field(default=None, max_length=10_000)
    name: str | None = Field(default=None, max_length=1000)
    email: str | None = Field(default=None, max_length=1000)
    good_faith: bool | None = None
    location: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=2000)
    uk_complaint: UkComplaintIn | None = None
    form_token: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=1000)  # the honeypot


class NoticeDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(max_length=16)
    action: str | None = Field(default=None, max_length=16)
    rule_id: str | None = Field(default=None, max_length=64)
    body: str | None = Field(default=None, max_length=20_000)
    reason: str | None = Field(default=None, max_length=5000)
    message: str | None = Field(default=None, max_length=5000)


class RouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    route: str = Field(max_length=24)


class PosterReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    choice: str = Field(max_length=16)
    full_name: str | None = Field(default=None, max_length=1000)
    postal_address: str | None = Field(default=None, max_length=2000)
    consent_disclosure: bool = False
