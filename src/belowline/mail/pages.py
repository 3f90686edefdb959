"""The one-click unsubscribe endpoint: works without sign-in, from a signed link.

`POST` is what mail clients send for RFC 8058 one-click (`List-Unsubscribe=One-Click`);
`GET` (a reader following the link) only shows a confirmation page with a button, so a link
scanner prefetching the URL never unsubscribes anyone.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.mail import links, preferences
from belowline.mail.compose import TEMPLATES, WHAT
from belowline.stories.models import Site
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/mail", include_in_schema=False)
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
NO_STORE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}


def _page(session: Session, target: links.Unsubscribe, *, done: bool) -> HTMLResponse:
    user = session.get(User, target.user_id)
    site = session.get(Site, user.site_id) if user is not None else None
    html = _env.get_template("unsubscribe.html").render(
        title="You are unsubscribed" if done else "Unsubscribe",
        done=done,
        what=WHAT.get(target.category, "these emails"),
        site_name=site.name if site else "this site",
    )
    return HTMLResponse(html, headers=NO_STORE)


@router.get("/unsubscribe/{token}")
def confirm_unsubscribe(token: str, session: DbSession, settings: SettingsDep) -> HTMLResponse:
    """Ask the reader to confirm; changes nothing."""
    target = links.read_token(token, secret=settings.secret_key)
    return _page(session, target, done=False)


@router.post("/unsubscribe/{token}")
def one_click_unsubscribe(
    token: str, session: DbSession, settings: SettingsDep, now: Now, bus: BusDep
) -> HTMLResponse:
    """Switch the link's category off for its reader (idempotent; erased accounts: nothing)."""
    target = links.read_token(token, secret=settings.secret_key)
    user = session.get(User, target.user_id)
    if user is not None and user.erased_at is None:
        preferences.unsubscribe(session, user_id=user.id, category=target.category, now=now)
        commit(session, bus)
    return _page(session, target, done=True)
