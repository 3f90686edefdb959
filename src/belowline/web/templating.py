"""Jinja2 templates shared by every domain's pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from belowline.i18n import catalogs
from belowline.stories.urls import safe_href
from belowline.web import assets

TEMPLATES_DIR = Path(__file__).parent / "templates"
# The dashboard's pages live with their plumbing in dashboard/; one environment serves both.
DASHBOARD_TEMPLATES_DIR = Path(__file__).parent.parent / "dashboard" / "templates"
templates = Jinja2Templates(directory=[str(TEMPLATES_DIR), str(DASHBOARD_TEMPLATES_DIR)])
templates.env.add_extension("jinja2.ext.i18n")
# `_()` and `ngettext()` translate into the locale the page's route activated (catalogs.activate).
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    catalogs.gettext_, catalogs.ngettext_, newstyle=True
)
templates.env.globals["page_locale"] = catalogs.current
templates.env.globals["page_dir"] = catalogs.direction
templates.env.globals["static"] = assets.static_url


def _date(value: Any, fmt: str = "%-d %B %Y") -> str:
    return value.strftime(fmt) if value is not None else ""


templates.env.filters["date"] = _date
templates.env.filters["day"] = catalogs.format_day
templates.env.filters["weekday"] = catalogs.format_weekday
templates.env.filters["safe_href"] = safe_href


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
