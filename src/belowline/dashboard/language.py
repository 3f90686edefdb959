"""The dashboard's language switcher: a staff member's choice, kept on their account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from belowline.dashboard.desk import DashboardRoute, WritingDesk
from belowline.i18n import service
from belowline.web.deps import BusDep, DbSession, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _back(target: str | None) -> str:
    """Only ever back to a dashboard address."""
    if target and target.startswith("/moderate") and not target.startswith("//"):
        return target
    return "/moderate"


@router.post("/language")
def choose_language(
    desk: WritingDesk,
    session: DbSession,
    bus: BusDep,
    locale: Annotated[str, Form(max_length=16)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> RedirectResponse:
    """Save the language (empty: follow the browser) and return to the page it was chosen on."""
    service.set_staff_locale(session, user=desk.user, locale=locale or None)
    commit(session, bus)
    return RedirectResponse(_back(next), status_code=303)
