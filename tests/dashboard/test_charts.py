"""The volume chart drawn as SVG text: well-formed, labelled, and true to the figures."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from belowline.dashboard.charts import nice_ticks, volume_svg

NS = {"s": "http://www.w3.org/2000/svg"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _figures(comments: float = 0.0, coverage: str = "full") -> dict[str, Any]:
    hours = [
        {
            "day": d,
            "hour": h,
            "comments": comments * (h % 5),
            "reports": comments / 4 if h == 9 else 0.0,
            "coverage": coverage if 8 <= h < 20 else "none",
        }
        for d in DAYS
        for h in range(24)
    ]
    return {"timezone": "Europe/London", "volume": {"weeks": 4, "hours": hours}}


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0.0, [0.0, 1.0]),
        (0.8, [0.0, 0.2, 0.4, 0.6, 0.8]),
        (3.7, [0.0, 1.0, 2.0, 3.0, 4.0]),
        (12.5, [0.0, 2.5, 5.0, 7.5, 10.0, 12.5]),
        (47.0, [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]),
    ],
)
def test_nice_ticks_cover_the_peak_in_round_steps(peak: float, ticks: list[float]) -> None:
    assert nice_ticks(peak) == ticks


def test_the_chart_is_labelled_and_draws_every_hour() -> None:
    root = ET.fromstring(volume_svg(_figures(comments=2.0)))  # noqa: S314 - our own output
    assert root.get("aria-labelledby") == "vc-title vc-desc"
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert "Most comments on Mon at 04:00 (8.0 per hour)" in (desc.text or "")
    assert "most reports on Mon at 09:00 (0.5 per hour)" in (desc.text or "")
    texts = {t.text for t in root.iterfind(".//s:text", NS)}
    assert {"Mon", "Sun", "comments / hour", "reports / hour", "no moderators"} <= texts
    assert {"0", "2", "4", "6", "8", "average per hour"} <= texts
    lines = root.findall(".//s:polyline", NS)
    assert [len((p.get("points") or "").split()) for p in lines] == [168, 168]
    tips = root.findall(".//s:rect/s:title", NS)
    assert len(tips) == 168
    assert tips[9].text == "Mon 09:00: 8.0 comments and 0.5 reports per hour, full moderation"
    # Coverage runs: none 0-8, full 8-20, none 20-8 next day ... one band per run.
    assert len([r for r in root.iterfind("s:g/s:rect", NS) if r.get("height") != "14"]) == 15


def test_an_empty_week_still_draws_and_escapes_the_zone() -> None:
    data = _figures()
    data["timezone"] = "<Etc/UTC & co>"
    svg = volume_svg(data)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    title = root.find("s:title", NS)
    assert title is not None
    assert title.text == "Volume by hour of the week (<Etc/UTC & co>, last 4 weeks)"
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert "No comments; no reports." in (desc.text or "")
