"""The readers catalog: statements of reasons, inbox notices and emails in every language it
ships; a sentence added in English without its translations fails here."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from belowline.i18n.catalogs import po_path
from belowline.i18n.readers import DOMAIN, reader_locales

SRC = Path(__file__).parents[2] / "src" / "belowline"
# Where reader-facing text is written: `t("…")` (a ReaderText), `N_("…")`, `t.plural(…)`.
PYTHON = [
    "decisions/statements.py",
    "policy/automated.py",
    "notifications/service.py",
    "mail/compose.py",
    "i18n/readers.py",
    "reports/outcomes.py",
    "mail/digest.py",
    "qa/service.py",
    "people/invitations.py",
    "notices/mailing.py",
    "notices/service.py",
    "notices/defamation.py",
]
TEMPLATES = ["mail/templates/message.txt", "mail/templates/message.html"]
KEYWORDS = {"t": None, "N_": None, "plural": (1, 2), "_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Every language the readers catalog speaks, with its plural forms in Plural-Forms order: the
# CLDR categories (Spanish keeps gettext's two forms, "many" being for millions only). A catalog
# that goes missing, loses a form or counts with the wrong rule fails here, not in a reader's inbox.
PLURALS = {
    "fr": ("one", "many", "other"),
    "de": ("one", "other"),
    "es": ("one", "other"),
    "cy": ("zero", "one", "two", "few", "many", "other"),
    "gd": ("one", "two", "few", "other"),
}


def reader_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for name in PYTHON:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(SRC / name), keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    for name in TEMPLATES:
        for _line, message, _comments, _context in extract_from_file("jinja2", str(SRC / name)):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def test_the_sources_write_for_readers() -> None:
    messages = reader_messages()
    assert len(messages) > 40
    assert "Message from the moderators: %(message)s" in messages
    assert "Stop %(what)s" in messages
    assert set(reader_locales()) == {"en", *PLURALS}


def _sentence(text: str) -> bool:
    """Two words or more outside placeholders: a single word ("suspension") may be shared."""
    return len(re.findall(r"\w+", PLACEHOLDER.sub("", text))) > 1


@pytest.mark.parametrize("locale", sorted(PLURALS))
def test_every_reader_sentence_has_a_translation(locale: str) -> None:
    with po_path(locale, DOMAIN).open("rb") as f:
        cat = read_po(f, locale=locale)
    assert cat.num_plurals == len(PLURALS[locale]), f"{locale}: Plural-Forms nplurals"
    rule, cldr = gettext.c2py(cat.plural_expr), Locale.parse(locale).plural_form
    wrong = [n for n in range(1001) if rule(n) != PLURALS[locale].index(cldr(n))]
    assert not wrong, f"{locale}: Plural-Forms disagrees with CLDR for n in {wrong[:10]}"
    wanted = reader_messages()
    missing, lost = [], []
    for message in sorted(wanted, key=str):
        msgid = message if isinstance(message, str) else message[0]
        entry = cat.get(msgid)
        forms = () if entry is None else entry.string
        forms = forms if isinstance(forms, tuple) else (forms,)
        wanted_forms = cat.num_plurals if isinstance(message, tuple) else 1
        if entry is None or entry.fuzzy or not all(forms) or len(forms) != wanted_forms:
            missing.append(msgid)
            continue
        if _sentence(msgid) and msgid in forms:
            missing.append(msgid)  # English copied across is not a translation
            continue
        for form in forms:
            if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(form)):
                lost.append(f"{msgid!r} → {form!r}")
    assert not missing, f"{locale}: no translation for {missing}"
    assert not lost, f"{locale}: placeholders differ: {lost}"
    ids = {m if isinstance(m, str) else m[0] for m in wanted}
    stale = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id} - ids
    assert not stale, f"{locale}: catalog entries nothing writes: {sorted(stale)}"
