"""Text written for one reader, in their language: statements of reasons, inbox notices and
emails are composed when they are sent, so they carry the recipient's locale (their stored
choice, else the site's default), not the request's. English is the source language."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date

from belowline.accounts.models import User
from belowline.i18n.catalogs import DEFAULT_LOCALE, LOCALES_DIR, _compiled, po_path, resolve
from belowline.i18n.service import site_locale
from belowline.stories.models import Site

DOMAIN = "readers"


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; it is translated where it is used."""
    return message


_AT = N_("%(day)s at %(time)s UTC")


def reader_locales() -> tuple[str, ...]:
    """English and every locale with a readers catalog."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (DEFAULT_LOCALE, *found)


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    path = po_path(locale, DOMAIN)
    if locale == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    return _compiled(path, locale)


@dataclass(frozen=True)
class ReaderText:
    """`t("…", name=value)` translates then fills in; `t.when(moment)` writes a time."""

    locale: str = DEFAULT_LOCALE

    def __call__(self, message: str, /, **values: Any) -> str:
        text = _translations(self.locale).gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        text = _translations(self.locale).ngettext(singular, plural, n)
        return text % {"num": n, **values}

    def day(self, moment: datetime) -> str:
        """ "01 December 2026"; "1 décembre 2026"."""
        if self.locale == DEFAULT_LOCALE:
            return moment.strftime("%d %B %Y")
        return format_date(moment, format="long", locale=Locale.parse(self.locale))

    def when(self, moment: datetime) -> str:
        """ "01 December 2026 at 09:00 UTC"; "1 décembre 2026 à 09:00 UTC"."""
        if self.locale == DEFAULT_LOCALE:
            return moment.strftime("%d %B %Y at %H:%M UTC")
        return self(_AT, day=self.day(moment), time=moment.strftime("%H:%M"))


def locale_for(user: User | None, site: Site | None) -> str:
    """The recipient's stored locale if a catalog speaks it, else the site's default."""
    available = reader_locales()
    for tag in (user.locale if user is not None else None, site_locale(site) if site else None):
        chosen = resolve(tag)
        if chosen in available:
            return chosen
    return DEFAULT_LOCALE


def text_for(user: User | None, site: Site | None) -> ReaderText:
    return ReaderText(locale_for(user, site))
