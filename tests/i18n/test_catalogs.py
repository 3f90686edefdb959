"""Every string readers see exists in every catalog: widget JSON tables and the pages' .po files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from belowline.i18n import catalogs

ROOT = Path(__file__).resolve().parents[2] / "src" / "belowline"
EMBED = ROOT / "web" / "static" / "embed"
LOCALES = EMBED / "locales"
TEMPLATES = ROOT / "web" / "templates"
WIDGET_LOCALES = ("en", "fr", "de", "es", "cy", "gd", "ar")
# CLDR plural categories each locale's Intl.PluralRules can return for whole numbers.
PLURALS = {
    "en": {"one", "other"},
    "de": {"one", "other"},
    "fr": {"one", "many", "other"},
    "es": {"one", "many", "other"},
    "cy": {"zero", "one", "two", "few", "many", "other"},
    "gd": {"one", "two", "few", "other"},
    "ar": {"zero", "one", "two", "few", "many", "other"},
}
PLURAL_KEYS = {"none", "zero", "one", "two", "few", "many", "other"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _table(locale: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LOCALES / f"{locale}.json").read_text("utf-8"))
    return data


def _is_plural(value: Any) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_KEYS


def _leaves(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            out.update(_leaves(value, path + "."))
        else:
            out[path] = value
    return out


def test_the_widget_ships_a_table_for_every_supported_locale() -> None:
    assert sorted(p.stem for p in LOCALES.glob("*.json")) == sorted(WIDGET_LOCALES)
    assert set(WIDGET_LOCALES) == set(catalogs.SUPPORTED)
    js = (EMBED / "i18n.js").read_text("utf-8")
    assert 'LOCALES = ["en", "fr", "de", "es", "cy", "gd", "ar"]' in js


@pytest.mark.parametrize("locale", [x for x in WIDGET_LOCALES if x != "en"])
def test_every_widget_key_is_translated(locale: str) -> None:
    english = _leaves(_table("en"))
    other = _leaves(_table(locale))
    assert sorted(set(english) - set(other)) == [], f"missing in {locale}"
    assert sorted(set(other) - set(english)) == [], f"unknown keys in {locale}"
    for key, source in english.items():
        value = other[key]
        if _is_plural(source):
            assert _is_plural(value), f"{locale}: {key} must be a plural entry"
            missing = PLURALS[locale] - set(value)
            assert not missing, f"{locale}: {key} lacks plural forms {sorted(missing)}"
            if "none" in source:
                assert value.get("none"), f"{locale}: {key} lacks its text for zero"
            forms = value.values()
            wanted = set().union(*(PLACEHOLDER.findall(s) for s in source.values())) - {"n"}
        else:
            assert isinstance(value, str) and value.strip(), f"{locale}: {key} is empty"
            forms = [value]
            wanted = set(PLACEHOLDER.findall(source))
        for form in forms:
            found = set(PLACEHOLDER.findall(form))
            # A plural form may spell its number out ("تعليق واحد"); nothing else may go missing.
            assert found - {"n"} <= wanted | {"n"}, f"{locale}: {key} has unknown {found}"
            if not _is_plural(source):
                assert found == wanted, f"{locale}: {key} placeholders {found} != {wanted}"


def test_english_plural_entries_cover_english() -> None:
    for key, value in _leaves(_table("en")).items():
        if _is_plural(value):
            assert PLURALS["en"] <= set(value), key


def _used_keys() -> set[str]:
    """Every `strings.a` / `strings.a.b` / `strings.a[...]` the widget's modules read."""
    used: set[str] = set()
    for path in EMBED.glob("*.js"):
        if path.name == "i18n.js":
            continue
        text = path.read_text("utf-8")
        for m in re.finditer(r"\bstrings\.(\w+)(?:\.(\w+))?", text):
            used.add(m.group(1) if m.group(2) is None else f"{m.group(1)}.{m.group(2)}")
    return used


def test_every_key_the_widget_reads_is_defined() -> None:
    english = _table("en")
    flat = _leaves(english)
    used = _used_keys()
    assert len(used) > 100
    missing = []
    for key in sorted(used):
        top, _, sub = key.partition(".")
        if top not in english or (
            sub and not _is_plural(english[top]) and f"{top}.{sub}" not in flat
        ):
            missing.append(key)
    assert missing == []


def test_dynamic_keys_the_widget_reads_are_defined() -> None:
    english = _table("en")
    widget = (EMBED / "widget.js").read_text("utf-8")
    sorts = re.search(r"const SORTS = \[([^\]]*)\]", widget)
    assert sorts is not None
    assert set(re.findall(r'"(\w+)"', sorts.group(1))) == set(english["sorts"])
    report = (EMBED / "report.js").read_text("utf-8")
    reasons = re.search(r"REASONS = \[([^\]]*)\]", report)
    assert reasons is not None
    assert set(re.findall(r'"(\w+)"', reasons.group(1))) == set(english["reportReasons"])


def _template_msgids() -> set[str]:
    ids: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        ids |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"', path.read_text("utf-8")))
    return ids


@pytest.mark.parametrize("locale", [x for x in WIDGET_LOCALES if x != "en"])
def test_every_public_page_string_is_translated(locale: str) -> None:
    used = _template_msgids()
    assert "Community rules" in used
    with catalogs.po_path(locale).open("rb") as f:
        po = read_po(f, locale=locale)
    translated = {m.id: m.string for m in po if m.id}
    assert sorted(used - set(translated)) == [], f"missing in {locale}.po"
    assert sorted(set(translated) - used) == [], f"stale in {locale}.po"
    for msgid, text in translated.items():
        assert isinstance(text, str) and text.strip(), f"{locale}: {msgid!r} untranslated"
        assert re.findall(r"%\(\w+\)s", text) == re.findall(r"%\(\w+\)s", msgid)


def test_catalogs_compile_from_po_and_translate() -> None:
    catalogs.activate("gd")
    try:
        assert catalogs.gettext_("Community rules") == "Riaghailtean coimhearsnachd"
    finally:
        catalogs.activate("en")
    assert catalogs.gettext_("Community rules") == "Community rules"


def test_negotiation_order() -> None:
    n = catalogs.negotiate
    assert n(explicit="fr-CA", accept_language="de", default="es") == "fr"
    assert n(explicit=None, accept_language="ja, de;q=0.5, cy;q=0.9", default="es") == "cy"
    assert n(explicit="xx", accept_language="ja", default="gd") == "gd"
    assert n(explicit=None, accept_language="de;q=garbage", default=None) == "en"
    assert catalogs.direction("ar") == "rtl" and catalogs.direction("fr") == "ltr"
