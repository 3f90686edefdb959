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


def render_markdown(text: str) -> str:
    """Render the markdown subset to sanitised HTML with safe, attributed links."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    ).strip()
