"""Request shapes for erasure and data requests."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from belowline.ids import RowId


class EraseMe(BaseModel):
    """The reader confirms; anything but `true` is refused."""

    model_config = ConfigDict(extra="forbid")

    confirm: Literal[True]


class DataRequest(BaseModel):
    """An admin acting on a request made by email: the person by id or by address."""

    model_config = ConfigDict(extra="forbid")

    user_id: RowId | None = Field(default=None, ge=1)
    email: str | None = Field(default=None, min_length=3, max_length=320)
    confirm: Literal[True]
