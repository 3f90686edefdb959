"""Gettext catalogs read straight from the .po files (no compile step), one per locale."""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en"
# Every locale the widget and the public pages ship complete; English is the source language.
SUPPORTED = ("en", "fr", "de", "es", "cy", "gd", "ar")
RTL = frozenset({"ar", "he", "fa", "ur"})

_current: ContextVar[str] = ContextVar("belowline_locale", default=DEFAULT_LOCALE)


# The dashboard's own catalog ("dashboard" domain): staff pages, complete in these locales.
DASHBOARD_LOCALES = ("en", "fr", "de")


def po_path(locale: str, domain: str = "messages") -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def _compiled(path: Path, locale: str) -> gettext.GNUTranslations:
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The locale's public pages' and dashboard's catalogs, compiled in memory once per process."""
    if locale == DEFAULT_LOCALE:
        return gettext.NullTranslations()
    found = [po_path(locale, d) for d in ("messages", "dashboard") if po_path(locale, d).exists()]
    if not found:
        return gettext.NullTranslations()
    first = _compiled(found[0], locale)
    for path in found[1:]:
        first.add_fallback(_compiled(path, locale))
    return first


def dashboard_locale(
    *, explicit: str | None, preference: str | None, accept_language: str | None
) -> str:
    """?lang= (the switcher), then the staff member's saved choice, then Accept-Language."""
    for tag in (explicit, preference, *accepted(accept_language or "")):
        chosen = resolve(tag)
        if chosen in DASHBOARD_LOCALES:
            return chosen
    return DEFAULT_LOCALE


def resolve(tag: str | None) -> str | None:
    """A supported locale for `tag` ("fr-CA" → "fr"), or None."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag in SUPPORTED:
        return tag
    lang = tag.split("-")[0]
    return lang if lang in SUPPORTED else None


def negotiate(*, explicit: str | None, accept_language: str | None, default: str | None) -> str:
    """?lang= first, then the browser's Accept-Language in order of q, then the site's default."""
    chosen = resolve(explicit)
    if chosen:
        return chosen
    for tag in accepted(accept_language or ""):
        chosen = resolve(tag)
        if chosen:
            return chosen
    return resolve(default) or DEFAULT_LOCALE


def accepted(header: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            ranked.append((-q, i, tag))
    return [tag for _, _, tag in sorted(ranked)]


def activate(locale: str) -> None:
    """Make `locale` the one templates translate into for this request."""
    _current.set(resolve(locale) or DEFAULT_LOCALE)


def current() -> str:
    return _current.get()


def direction(locale: str | None = None) -> str:
    return "rtl" if (locale or current()).split("-")[0] in RTL else "ltr"


def gettext_(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def format_day(value: datetime | None) -> str:
    """A date the way the reader's locale writes it ("3 March 2025", "3 mars 2025")."""
    if value is None:
        return ""
    return format_date(value, format="long", locale=Locale.parse(current()))


def format_weekday(value: datetime) -> str:
    """A short day name in the page's locale ("Tue", "mar.", "Di.")."""
    return format_date(value, format="EEE", locale=Locale.parse(current()))
