"""Request and response shapes for identity."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SSORequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_id: str = Field(min_length=1, max_length=64)
    token: str = Field(min_length=1, max_length=8192)


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_id: str = Field(min_length=1, max_length=64)
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: int
    site_id: str
    display_name: str
    email: str | None
    role: str
    roles: list[str]
    subscription: str
    subscriber: bool
    subscription_expires_at: str | None
    accepted_terms_version: int | None
    current_terms_version: int | None
    suspended_until: str | None = None
    banned: bool = False
    # Readers whose comments collapse for this reader (applied by the widget, never cached).
    muted_user_ids: list[int] = []
    # The language this person chose (PUT /api/v1/me/locale); None follows the site's default.
    locale: str | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    user: UserOut
