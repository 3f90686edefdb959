"""The schedule and coverage endpoints: admins edit, staff read coverage, others are refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.audit.models import AuditEntry
from tests.cast import Cast

URL = "/api/v1/sites/gazette/moderation"
NIGHTS: dict[str, Any] = {
    "timezone": "Europe/London",
    "default": "part",
    "weekly": [
        {
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "09:00",
            "end": "18:00",
            "coverage": "full",
        },
        {"days": ["sat", "sun"], "start": "00:00", "end": "08:00", "coverage": "none"},
    ],
    "exceptions": [{"date": "2026-12-25", "coverage": "none"}],
}


def test_default_schedule_and_coverage(client: TestClient, cast: Cast) -> None:
    r = client.get(f"{URL}/schedule", headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    assert r.json()["default"] == "part"
    assert r.json()["weekly"][0]["start"] == "09:00"
    # Monday 30 November 2026, 10:00 in London.
    c = client.get(f"{URL}/coverage", headers=cast.h(cast.mod)).json()
    assert c["coverage"] == "full"
    assert c["until"] == "2026-11-30T18:00:00Z"
    assert c["banner"] == "Full-time moderation until 18:00"
    cast.clock.advance(hours=9)  # 19:00
    c = client.get(f"{URL}/coverage", headers=cast.h(cast.mod)).json()
    assert (c["coverage"], c["until"]) == ("part", "2026-12-01T09:00:00Z")
    assert c["banner"] == "Part-time moderation until Tue 09:00"


def test_admin_replaces_the_schedule(client: TestClient, cast: Cast, session: Session) -> None:
    r = client.put(f"{URL}/schedule", json=NIGHTS, headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    assert r.json() == NIGHTS
    assert client.get(f"{URL}/schedule", headers=cast.h(cast.admin)).json() == NIGHTS
    [entry] = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "schedule.update")
    ).all()
    assert entry.actor_id == cast.admin.id
    cast.clock.at = cast.clock.at.replace(month=12, day=25, hour=12)
    c = client.get(f"{URL}/coverage", headers=cast.h(cast.mod)).json()
    assert c["coverage"] == "none"
    assert c["until"] == "2026-12-26T08:00:00Z"  # Saturday 00:00-08:00 is none too: merged
    assert c["banner"].startswith("No moderators on duty")


def test_bad_schedule_is_a_422_and_writes_nothing(client: TestClient, cast: Cast) -> None:
    bad = {
        **NIGHTS,
        "weekly": [{"days": ["mon"], "start": "25:00", "end": "18:00", "coverage": "full"}],
    }
    r = client.put(f"{URL}/schedule", json=bad, headers=cast.h(cast.admin))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert r.json()["error"]["fields"][0]["field"] == "weekly[0].start"
    assert client.get(f"{URL}/schedule", headers=cast.h(cast.admin)).json()["default"] == "part"
    r = client.put(
        f"{URL}/schedule",
        content=b"[1, 2]",
        headers={**cast.h(cast.admin), "content-type": "application/json"},
    )
    assert r.status_code == 422


def test_who_may_read_and_write(client: TestClient, cast: Cast) -> None:
    for user in (cast.mod, cast.reader, cast.other_mod):
        assert client.get(f"{URL}/schedule", headers=cast.h(user)).status_code == 403
        r = client.put(f"{URL}/schedule", json=NIGHTS, headers=cast.h(user))
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "forbidden"
    assert client.get(f"{URL}/coverage", headers=cast.h(cast.reader)).status_code == 403
    assert client.get(f"{URL}/coverage", headers=cast.h(cast.other_mod)).status_code == 403
    assert client.get(f"{URL}/coverage").status_code == 401
    missing = client.get("/api/v1/sites/nowhere/moderation/coverage", headers=cast.h(cast.mod))
    assert missing.status_code == 404


def test_figures_and_chart(client: TestClient, cast: Cast) -> None:
    from tests.cast import post, report

    cid = post(client, cast, cast.author, "The bridge budget is too high.")
    report(client, cast, cast.reader, cid, "untrue")
    cast.clock.advance(hours=2)
    f = client.get(f"{URL}/figures", headers=cast.h(cast.mod)).json()
    assert f["queue_depth"]["reported"] == 1
    assert f["breaches"]["reported"] == 1  # full coverage: a one-hour target
    monday_10 = next(h for h in f["volume"]["hours"] if h["day"] == "mon" and h["hour"] == 10)
    assert monday_10["coverage"] == "full"
    assert monday_10["comments"] == 0.25
    assert monday_10["reports"] == 0.25
    sat_3 = next(h for h in f["volume"]["hours"] if h["day"] == "sat" and h["hour"] == 3)
    assert sat_3["coverage"] == "part"
    png = client.get(f"{URL}/charts/volume.png", headers=cast.h(cast.admin))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"{URL}/charts/volume.png", headers=cast.h(cast.mod)).status_code == 403
    queue = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()
    [item] = queue["items"]
    assert item["breached"] is True
    assert item["sla_due_at"] == "2026-11-30T11:00:00Z"
    assert item["sla"]["target_seconds"] == 3600


def test_volume_chart_as_svg(client: TestClient, cast: Cast) -> None:
    import xml.etree.ElementTree as ET

    from tests.cast import post, report

    client.put(f"{URL}/schedule", json=NIGHTS, headers=cast.h(cast.admin))
    cid = post(client, cast, cast.author, "The bridge budget is too high.")
    report(client, cast, cast.reader, cid, "untrue")
    svg = client.get(f"{URL}/charts/volume.svg", headers=cast.h(cast.admin))
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.text)  # noqa: S314 - our own output
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    title = root.find("s:title", ns)
    assert title is not None
    assert title.text == "Volume by hour of the week (Europe/London, last 4 weeks)"
    tips = [t.text or "" for t in root.iterfind(".//s:rect/s:title", ns)]
    assert "Mon 10:00: 0.2 comments and 0.2 reports per hour, full moderation" in tips
    assert client.get(f"{URL}/charts/volume.svg", headers=cast.h(cast.mod)).status_code == 403
    missing = client.get(
        "/api/v1/sites/nowhere/moderation/charts/volume.svg", headers=cast.h(cast.admin)
    )
    assert missing.json()["error"]["code"] == "site_not_found"
