"""The errors catalog: every message a service raises has a French, German, Spanish, Welsh and
Scottish Gaelic translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from belowline.errors import ErrorCode
from belowline.i18n.catalogs import LOCALES_DIR, po_path
from belowline.i18n.errors import DOMAIN, ERROR_LOCALES, GENERIC, translate

SRC = Path(__file__).parents[2] / "src" / "belowline"
RAISERS = {
    "BelowlineError",
    "InvalidInput",
    "NotAuthenticated",
    "Forbidden",
    "NotFound",
    "Conflict",
    "RateLimited",
}
# The envelope's own senders: the message is their third (error_response) or fifth argument.
SENDERS = {"error_response": 2, "send_error": 4}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _name(node: ast.expr) -> str:
    """A readable placeholder name for an f-string's value."""
    if isinstance(node, ast.Name):
        return node.id.lower()
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    if isinstance(node, ast.Subscript):
        key = node.slice
        return (
            key.value
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
            else (_name(node.value))
        )
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "join" and node.args:
            return _name(node.args[0])
        if isinstance(func, ast.Attribute):
            return _name(func.value)
        if isinstance(func, ast.Name) and func.id == "len":
            return "length"
        return _name(node.args[0]) if node.args else "value"
    return "value"


def pattern(node: ast.JoinedStr) -> str | None:
    """An f-string as a catalog entry with %(name)s placeholders (None: nothing to translate)."""
    parts: list[str] = []
    names: list[str] = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            base = name = _name(value.value)
            n = 2
            while name in names:
                name, n = f"{base}{n}", n + 1
            names.append(name)
            parts.append(f"%({name})s")
    literal = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    return "".join(parts) if len(re.findall(r"[A-Za-z]{2,}", literal)) >= 2 else None


def _message_arg(call: ast.Call) -> ast.expr | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name in RAISERS and call.args:
        return call.args[0]
    if name in SENDERS and len(call.args) > SENDERS[name]:
        return call.args[SENDERS[name]]
    return None


def error_messages() -> set[str]:
    """Every message the source raises as a literal or an f-string, and each code's sentence."""
    found: set[str] = set(GENERIC.values())
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            arg = _message_arg(node)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.JoinedStr) and (entry := pattern(arg)):
                found.add(entry)
    return found


def catalog(locale: str) -> Catalog:
    with po_path(locale, DOMAIN).open("rb") as f:
        return read_po(f, locale=locale)


def test_the_source_raises_many_messages() -> None:
    messages = error_messages()
    assert len(messages) > 150
    long = "Comments can be at most %(max_comment_length)s characters; this one has %(length)s."
    assert long in messages


def test_every_code_has_a_sentence() -> None:
    assert set(GENERIC) == set(ErrorCode)


def test_every_errors_catalog_is_negotiated() -> None:
    on_disk = {p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    assert on_disk == set(ERROR_LOCALES) - {"en"}
    assert {"fr", "de", "es", "cy", "gd"} <= on_disk


@pytest.mark.parametrize("locale", [loc for loc in ERROR_LOCALES if loc != "en"])
def test_every_error_message_has_a_translation(locale: str) -> None:
    cat = catalog(locale)
    wanted = error_messages()
    missing = sorted(m for m in wanted if not (cat.get(m) and cat.get(m).string))  # type: ignore[union-attr]
    assert not missing, f"{locale}: no translation for {missing}"
    lost = [
        m
        for m in wanted
        if set(PLACEHOLDER.findall(m)) != set(PLACEHOLDER.findall(str(cat.get(m).string)))  # type: ignore[union-attr]
    ]
    assert not lost, f"{locale}: placeholders differ: {lost}"
    same = [m for m in wanted if str(cat.get(m).string) == m and re.search(r"[a-z]{4}", m)]  # type: ignore[union-attr]
    assert len(same) < 3, f"{locale}: copied, not translated: {same}"
    stale = {m.id for m in cat if m.id} - wanted
    assert not stale, f"{locale}: catalog entries nothing raises: {sorted(stale)}"


def test_a_message_with_values_is_translated_with_its_values() -> None:
    message = "Comments can be at most 500 characters; this one has 612."
    french = translate(message, code="invalid_body", locale="fr")
    assert "500" in french and "612" in french and "caractères" in french


def test_an_unknown_message_falls_back_to_its_codes_sentence() -> None:
    assert translate("Some message nobody wrote down.", code="not_found", locale="de") == (
        translate(GENERIC[ErrorCode.NOT_FOUND], code="not_found", locale="de")
    )
    assert translate("Some message nobody wrote down.", code="not_found", locale="en") == (
        "Some message nobody wrote down."
    )


def test_the_extractor_finds_a_message() -> None:
    tree = ast.parse('raise InvalidInput(f"Keep it to {LIMIT} characters.")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr))
    assert pattern(call) == "Keep it to %(limit)s characters."
