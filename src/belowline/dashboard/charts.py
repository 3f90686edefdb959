"""Charts for the dashboard and its API, drawn as SVG text on the server: no plotting library.

``volume_svg`` draws comments and reports per hour of the week over the staffed hours, from
``sla.figures``: a standalone, accessible SVG (title, description with the peaks, text labels,
a tooltip per hour) that a browser shows as an image or inline. ``volume_png`` keeps the old
PNG for installs that carry matplotlib (the ``train`` extra); serving never needs it.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["SHADES", "nice_ticks", "png_available", "volume_png", "volume_svg"]

SHADES = {"full": "#d8ecd8", "part": "#fbeccb", "none": "#f6d5d5"}
COVERAGE_NAMES = {"full": "full moderation", "part": "part-time", "none": "no moderators"}
LINES = (("comments", "#1f3b73", "comments / hour"), ("reports", "#b3261e", "reports / hour"))
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

WIDTH, HEIGHT = 1200, 400
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 76, 52
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def nice_ticks(peak: float, count: int = 5) -> list[float]:
    """Round y-axis ticks from 0 to at least ``peak`` (steps of 1, 2, 2.5 or 5 x 10^n)."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1.0, 2.0, 2.5, 5.0, 10.0) if s * power >= raw)
    top = math.ceil(peak / step - 1e-9) * step
    return [round(i * step, 10) for i in range(round(top / step) + 1)]


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:g}"


def _peak_line(hours: Sequence[Mapping[str, Any]], key: str) -> str:
    best = max(hours, key=lambda h: h[key])
    if best[key] <= 0:
        return f"no {key}"
    return (
        f"most {key} on {best['day'].capitalize()} at {best['hour']:02d}:00 "
        f"({best[key]:.1f} per hour)"
    )


def _bands(hours: Sequence[Mapping[str, Any]], x: Any, top: float, height: float) -> list[str]:
    """One shaded rectangle per run of hours at the same coverage level."""
    out, start = [], 0
    for i in range(1, len(hours) + 1):
        if i == len(hours) or hours[i]["coverage"] != hours[start]["coverage"]:
            level = hours[start]["coverage"]
            out.append(
                f'<rect x="{x(start):.2f}" y="{top}" width="{x(i) - x(start):.2f}" '
                f'height="{height}" fill="{SHADES[level]}"/>'
            )
            start = i
    return out


def _legend(y: float) -> list[str]:
    out, x = [], float(LEFT)
    for _, colour, label in LINES:
        out.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 22}" y2="{y}" stroke="{colour}" stroke-width="2.5"/>'
            f'<text x="{x + 28}" y="{y + 4}">{escape(label)}</text>'
        )
        x += 28 + 8 * len(label) + 20
    for level, colour in SHADES.items():
        label = f"{COVERAGE_NAMES[level]}"
        out.append(
            f'<rect x="{x}" y="{y - 7}" width="14" height="14" fill="{colour}" stroke="#b8b8b8"/>'
            f'<text x="{x + 20}" y="{y + 4}">{escape(label)}</text>'
        )
        x += 20 + 7.4 * len(label) + 22
    return out


def volume_svg(data: Mapping[str, Any]) -> str:
    """Comments and reports per hour of the week over shaded staffed hours, as an SVG document."""
    hours: Sequence[Mapping[str, Any]] = data["volume"]["hours"]
    weeks = data["volume"]["weeks"]
    zone = str(data["timezone"])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(hours)
    ticks = nice_ticks(max(max(h["comments"], h["reports"]) for h in hours))

    def x(index: float) -> float:
        return LEFT + index * slot

    def y(value: float) -> float:
        return TOP + plot_h - value / ticks[-1] * plot_h

    busiest = _peak_line(hours, "comments")
    title = f"Volume by hour of the week ({zone}, last {weeks} weeks)"
    desc = (
        f"Average comments and reports per hour, Monday to Sunday in {zone}, over the last "
        f"{weeks} weeks; the shading shows the weekly staffing: green full moderation, amber "
        f"part-time, red no moderators. {busiest[:1].upper()}{busiest[1:]}; "
        f"{_peak_line(hours, 'reports')}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="vc-title vc-desc" '
        f'font-family="{escape(FONT)}" font-size="13" fill="#222">',
        f'<title id="vc-title">{escape(title)}</title>',
        f'<desc id="vc-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="26" font-size="17" font-weight="600">{escape(title)}</text>',
        '<g aria-hidden="true">',
        *_legend(52),
        *_bands(hours, x, TOP, plot_h),
    ]
    for tick in ticks:  # gridlines and y labels
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.2f}" y2="{y(tick):.2f}" '
            f'stroke="#000" stroke-opacity="{0.35 if tick == 0 else 0.1}"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 4:.2f}" text-anchor="end">{_number(tick)}</text>'
        )
    parts.append(
        f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle" '
        f'fill="#555">average per hour</text>'
    )
    base = TOP + plot_h
    for day, name in enumerate(DAY_NAMES):
        if day:
            parts.append(
                f'<line x1="{x(day * 24):.2f}" x2="{x(day * 24):.2f}" y1="{TOP}" y2="{base + 6}" '
                'stroke="#fff" stroke-width="2"/>'
            )
        for hour in (6, 12, 18):
            parts.append(
                f'<line x1="{x(day * 24 + hour):.2f}" x2="{x(day * 24 + hour):.2f}" '
                f'y1="{base}" y2="{base + 4}" stroke="#888"/>'
                f'<text x="{x(day * 24 + hour):.2f}" y="{base + 16}" text-anchor="middle" '
                f'font-size="10" fill="#666">{hour:02d}</text>'
            )
        parts.append(
            f'<text x="{x(day * 24 + 12):.2f}" y="{base + 36}" text-anchor="middle" '
            f'font-weight="600">{name}</text>'
        )
    for key, colour, _ in LINES:
        points = " ".join(f"{x(i + 0.5):.2f},{y(h[key]):.2f}" for i, h in enumerate(hours))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    parts.append("</g>")
    for i, h in enumerate(hours):  # one hover target per hour, with its figures
        tip = (
            f"{h['day'].capitalize()} {h['hour']:02d}:00: {h['comments']:.1f} comments and "
            f"{h['reports']:.1f} reports per hour, {COVERAGE_NAMES[h['coverage']]}"
        )
        parts.append(
            f'<rect x="{x(i):.2f}" y="{TOP}" width="{slot:.2f}" height="{plot_h}" '
            f'fill="transparent"><title>{escape(tip)}</title></rect>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def png_available() -> bool:
    """Whether this install can draw PNG charts (matplotlib comes with the ``train`` extra)."""
    return importlib.util.find_spec("matplotlib") is not None


def volume_png(data: Mapping[str, Any]) -> bytes:
    """The same chart as a PNG, drawn by matplotlib (imported here, only when asked)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    hours = data["volume"]["hours"]
    fig, ax = plt.subplots(figsize=(12, 3.6), dpi=100)
    try:
        for index, hour in enumerate(hours):
            ax.axvspan(index, index + 1, color=SHADES[hour["coverage"]], linewidth=0)
        xs = [i + 0.5 for i in range(len(hours))]
        for key, colour, label in LINES:
            ax.plot(xs, [h[key] for h in hours], color=colour, label=label)
        ax.set_xlim(0, len(hours))
        ax.set_xticks([d * 24 + 12 for d in range(7)], list(DAY_NAMES))
        ax.set_ylabel("average per hour")
        ax.set_title(
            f"Volume by hour of the week ({data['timezone']}, last {data['volume']['weeks']} weeks)"
        )
        handles = ax.get_legend_handles_labels()[0] + [
            Patch(color=c, label=f"{k} coverage") for k, c in SHADES.items()
        ]
        ax.legend(handles=handles, loc="upper right", fontsize=8, ncol=5)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)
