"""Route dependencies for moderation: staff are checked before the body is even read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from belowline.accounts.models import User
from belowline.errors import ErrorCode, Forbidden
from belowline.web.deps import CurrentUser


def require_staff(user: CurrentUser) -> User:
    """Refuse non-moderators with 403 `forbidden`; site scope is checked by the services."""
    if not user.is_staff:
        raise Forbidden("Only moderators can do that.", code=ErrorCode.FORBIDDEN)
    return user


StaffUser = Annotated[User, Depends(require_staff)]
