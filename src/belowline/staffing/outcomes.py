"""A training run's outcome in the page's language. The learning service keeps it in English
(the CLI and the API print it), written from adoption's sentences; here it is matched back to
them and each is translated through the dashboard catalog with its figures. Wording that no
sentence matches (a run recorded by an older version) is shown as it was stored."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from belowline.i18n import catalogs
from belowline.learning import adoption

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_SEPARATOR = "; "  # between the missing labels of NOT_ENOUGH


@cache
def _pattern(sentence: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(sentence.replace("%%", "%"))  # literal, name, literal, …
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)),
        re.S,
    )


def _match(text: str, sentences: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    for sentence in sentences:
        found = _pattern(sentence).fullmatch(text)
        if found:
            return sentence, found.groupdict()
    return None


def _value(name: str, value: str, gettext: Callable[[str], str]) -> str | None:
    """The figures stay; the interval and the missing labels are sentences of their own."""
    if name == "interval":
        return _sentence(value, (adoption.INTERVAL,), gettext)
    if name == "missing":
        parts = [_sentence(p, adoption.MISSING, gettext) for p in value.split(_SEPARATOR)]
        return None if None in parts else _SEPARATOR.join(p for p in parts if p is not None)
    return value


def _sentence(text: str, sentences: Sequence[str], gettext: Callable[[str], str]) -> str | None:
    """`text` translated, or None unless it and every sentence inside it are known."""
    matched = _match(text, sentences)
    if matched is None:
        return None
    sentence, found = matched
    values = {k: _value(k, v, gettext) for k, v in found.items()}
    if None in values.values():
        return None  # half a translation would mix two languages in one sentence
    return gettext(sentence) % values


def training_outcome(text: str | None, gettext: Callable[[str], str] = catalogs.gettext_) -> str:
    """ "kept the current model: the gain is under 0.01 (…)" in the page's language."""
    if not text:
        return ""
    return _sentence(text, adoption.OUTCOMES, gettext) or text
