"""The site's default locale: what the widget and public pages use when the reader says nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.errors import ErrorCode, InvalidInput
from belowline.i18n.catalogs import DASHBOARD_LOCALES, DEFAULT_LOCALE, SUPPORTED
from belowline.stories.models import Site

SETTINGS_KEY = "locale"


def site_locale(site: Site) -> str:
    value = (site.settings or {}).get(SETTINGS_KEY)
    return value if isinstance(value, str) and value in SUPPORTED else DEFAULT_LOCALE


def _supported(locale: str) -> str:
    """`locale` lower-cased if the widget ships it complete; else a 422 naming the choices."""
    tag = locale.strip().lower()
    if tag not in SUPPORTED:
        raise InvalidInput(
            f"Choose one of: {', '.join(SUPPORTED)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="locale",
        )
    return tag


def set_site_locale(session: Session, *, site: Site, locale: str) -> str:
    """Store the default; only locales with complete catalogs are accepted."""
    tag = _supported(locale)
    site.settings = {**(site.settings or {}), SETTINGS_KEY: tag}
    session.flush()
    return tag


def set_reader_locale(session: Session, *, user: User, locale: str | None) -> str | None:
    """A reader's own language (widget, statements, emails); None follows the site's default."""
    tag = _supported(locale) if locale is not None else None
    user.locale = tag
    session.flush()
    return tag


def set_staff_locale(session: Session, *, user: User, locale: str | None) -> str | None:
    """A staff member's dashboard language; None goes back to the browser's Accept-Language."""
    tag = locale.strip().lower() if locale else None
    if tag is not None and tag not in DASHBOARD_LOCALES:
        raise InvalidInput(
            f"The dashboard speaks: {', '.join(DASHBOARD_LOCALES)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="locale",
        )
    user.locale = tag
    session.flush()
    return tag
