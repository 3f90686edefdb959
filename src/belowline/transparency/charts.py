"""Horizontal bar charts as inline SVG: no plotting library, labels escaped, readable without JS."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

ROW = 22
LABEL_W = 170
BAR_W = 300


def bars(title: str, data: dict[str, float], *, unit: str = "") -> Markup:
    """One bar per key, longest = BAR_W; an empty chart says so."""
    if not data:
        return Markup(f'<p class="meta">{escape(title)}: nothing in this period.</p>')  # noqa: S704 - escaped
    top = max(max(data.values()), 1e-9)
    height = ROW * len(data) + 28
    width = LABEL_W + BAR_W + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(data.items()):
        y = 24 + i * ROW
        w = max(int(BAR_W * value / top), 1 if value else 0)
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{escape(label[:28])}</text>"
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{w}" height="{ROW - 8}" fill="#2f5d8a">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
            f'<text x="{LABEL_W + w + 6}" y="{y + 14}" font-size="12">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
