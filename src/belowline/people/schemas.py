"""Request shapes for a person's record, staff changes and invitations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from belowline.accounts.models import Role


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(max_length=5000)


class StaffChange(BaseModel):
    """`PATCH /api/v1/sites/{site}/users/{user}`: a new role, and/or (de)activation of staff."""

    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    active: bool | None = None


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=320)
    role: Literal["moderator", "admin"] = "moderator"


class AcceptInvitation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=8, max_length=1000)
    display_name: str | None = Field(default=None, max_length=100)
