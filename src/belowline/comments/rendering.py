"""Safe HTML from a comment's markdown: a small markdown subset, then nh3 sanitising."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

_md = (
    MarkdownIt("zero", {"linkify": False, "breaks": True, "html": False})
    .enable(["emphasis", "link", "blockquote", "list", "paragraph", "newline", "backticks"])
    .enable(["escape", "entity", "autolink", "strikethrough"])
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

# C0/C1 controls except tab and newline; bidi overrides used to disguise text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Normalise to NFC, unify newlines and strip control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Built once: building the sanitiser's settings cost twice its cleaning of a comment.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow ugc noopener",
)
# Text no markdown rule of the subset can act on: letters, digits, spaces, newlines and
# . , ; : ? ! ' " (no markup, entity, escape or HTML-special character), and no line that starts
# with a digit (an ordered list). Most comments are this; they are rendered directly.
_PLAIN_TEXT = re.compile(r"(?:[^\W_]|[ \n.,;:?!'\"])*")
_LINE_START_DIGIT = re.compile(r"^ *[0-9]", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n(?: *\n)+")


def _render_plain(text: str) -> str | None:
    """What markdown-it then nh3 make of plain text, or None if the text is not plain."""
    if not _PLAIN_TEXT.fullmatch(text) or _LINE_START_DIGIT.search(text):
        return None
    paragraphs = [
        "<p>" + "<br>\n".join(line.strip(" ") for line in block.split("\n")) + "</p>"
        for block in _BLANK_LINES.split(text.strip(" \n"))
    ]
    return "\n".join(paragraphs) if paragraphs != ["<p></p>"] else None


def _render_full(text: str) -> str:
    return _cleaner.clean(_md.render(text)).strip()


def render_markdown(text: str) -> str:
    """Render the markdown subset to sanitised HTML with safe, attributed links."""
    plain = _render_plain(text)
    return plain if plain is not None else _render_full(text)
