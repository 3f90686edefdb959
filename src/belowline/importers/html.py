"""HTML from other systems to Belowline's markdown subset, so imported text renders like new text.

Only what the subset can say survives (paragraphs, line breaks, emphasis, links, quotes,
lists, code); everything else becomes plain text. The result then goes through the same
clean_text/render_markdown/nh3 path as a new comment.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_ESCAPE = re.compile(r"([\\`*_\[\]])")
_BLOCK = {"p", "div", "blockquote", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.lists: list[list[int]] = []  # [counter] per open list; counter < 0 for bullets
        self.quote = 0
        self.code = 0
        self.hidden = 0  # inside <script>/<style>: the text is dropped

    def _newline(self, blank: bool = False) -> None:
        self.out.append("\n\n" if blank else "\n")
        if self.quote:
            self.out.append("> " * self.quote)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self._newline()
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("s", "del", "strike"):
            self.out.append("~~")
        elif tag == "code":
            self.code += 1
            self.out.append("`")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append(href if href and re.match(r"(?i)(https?:|mailto:)", href) else None)
            if self.links[-1]:
                self.out.append("[")
        elif tag == "blockquote":
            self.quote += 1
            self._newline(blank=True)
        elif tag in ("ul", "ol"):
            self.lists.append([1 if tag == "ol" else -1])
            self._newline(blank=True)
        elif tag == "li":
            self._newline()
            if self.lists and self.lists[-1][0] > 0:
                self.out.append(f"{self.lists[-1][0]}. ")
                self.lists[-1][0] += 1
            else:
                self.out.append("- ")
        elif tag in _BLOCK:
            self._newline(blank=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("s", "del", "strike"):
            self.out.append("~~")
        elif tag == "code":
            self.code = max(0, self.code - 1)
            self.out.append("`")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline(blank=True)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline(blank=True)
        elif tag in _BLOCK and tag != "li":
            self._newline(blank=True)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.code:
            data = _ESCAPE.sub(r"\\\1", data)
        self.out.append(data)


def html_to_markdown(html: str) -> str:
    """Convert comment HTML to the markdown subset (plain text where nothing maps)."""
    if "<" not in html and "&" not in html:
        return html
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    lines = [ln.rstrip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
