"""The site's default locale: what the widget and public pages use when the reader says nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from belowline.errors import ErrorCode, InvalidInput
from belowline.i18n.catalogs import DEFAULT_LOCALE, SUPPORTED
from belowline.stories.models import Site

SETTINGS_KEY = "locale"


def site_locale(site: Site) -> str:
    value = (site.settings or {}).get(SETTINGS_KEY)
    return value if isinstance(value, str) and value in SUPPORTED else DEFAULT_LOCALE


def set_site_locale(session: Session, *, site: Site, locale: str) -> str:
    """Store the default; only locales with complete catalogs are accepted."""
    tag = locale.strip().lower()
    if tag not in SUPPORTED:
        raise InvalidInput(
            f"Choose one of: {', '.join(SUPPORTED)}.",
            code=ErrorCode.VALIDATION_ERROR,
            field="locale",
        )
    site.settings = {**(site.settings or {}), SETTINGS_KEY: tag}
    session.flush()
    return tag
