"""The transparency report's figures, CSV, bad periods, and the DSA statements export."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.cast import Cast, decide, post, report
from tests.dashboard.test_pages import sign_in

URL = "/api/v1/sites/gazette/transparency"
PERIOD = "from=2026-11-01&to=2026-12-31"


def _history(client: TestClient, cast: Cast) -> tuple[int, int]:
    a = post(client, cast, cast.author, "Councillor Jones is a crook")
    b = post(client, cast, cast.author, "Buy cheap watches")
    report(client, cast, cast.reader, a, reason="abusive")
    report(client, cast, cast.reader2, a, reason="untrue")
    report(client, cast, cast.reader, b, reason="spam")
    cast.clock.advance(hours=2)
    assert decide(client, cast, cast.mod, a, action="remove").status_code == 201
    cast.clock.advance(hours=4)
    assert decide(client, cast, cast.mod, b, action="remove").status_code == 201
    return a, b


def test_figures_for_a_period(client: TestClient, cast: Cast) -> None:
    _history(client, cast)
    r = client.get(f"{URL}?{PERIOD}", headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    f = r.json()
    assert f["reports"]["by_reason"] == {"abusive": 1, "spam": 1, "untrue": 1}
    assert f["reports"]["by_source"] == {"readers": 3, "notices": 0}
    assert f["decisions"]["by_action"] == {"remove": 2}
    assert f["decisions"]["human"] == 2 and f["decisions"]["automated"] == 0
    assert f["decisions"]["by_rule"][0]["count"] == 2
    reported = f["time_to_action"]["by_queue"]["reported"]
    assert reported == {"count": 2, "median_hours": 4.0, "p90_hours": 5.6}
    by_queue = f["time_to_action"]["by_queue"].values()
    by_coverage = f["time_to_action"]["by_coverage"].values()
    assert sum(t["count"] for t in by_coverage) == sum(t["count"] for t in by_queue) >= 2
    empty = client.get(f"{URL}?from=2025-01-01&to=2025-01-31", headers=cast.h(cast.admin))
    assert empty.json()["decisions"]["total"] == 0
    c = client.get(f"{URL}?{PERIOD}&format=csv", headers=cast.h(cast.admin))
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(c.text)))
    assert rows[0] == ["section", "breakdown", "key", "value"]
    assert ["decisions", "by_action", "remove", "2"] in rows
    assert ["time_to_action", "by_queue.median_hours", "reported", "4.0"] in rows


def test_bad_periods_are_refused(client: TestClient, cast: Cast) -> None:
    h = cast.h(cast.admin)
    for q in (
        "",
        "from=2026-11-01",
        "from=yesterday&to=2026-12-01",
        "from=2026-13-01&to=2026-12-01",
        "from=2026-12-01&to=2026-11-01",
        "from=2020-01-01&to=2026-01-01",
        f"{PERIOD}&format=xml",
    ):
        r = client.get(f"{URL}?{q}", headers=h)
        assert r.status_code == 422, (q, r.text)
        assert r.json()["error"]["code"]


def test_statements_export_has_the_schema_and_no_personal_data(
    client: TestClient, cast: Cast
) -> None:
    _history(client, cast)
    r = client.get(f"{URL}/statements?{PERIOD}", headers=cast.h(cast.admin))
    assert r.status_code == 200
    statements = r.json()["statements"]
    assert len(statements) == 2
    s = statements[0]
    for field in (
        "puid",
        "decision_visibility",
        "decision_ground",
        "content_type",
        "category",
        "content_date",
        "application_date",
        "decision_facts",
        "source_type",
        "automated_detection",
        "automated_decision",
        "incompatible_content_ground",
        "incompatible_content_explanation",
    ):
        assert s[field], field
    assert s["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert s["source_type"] == "SOURCE_TYPE_OTHER_NOTIFICATION"
    assert len({x["puid"] for x in statements}) == 2
    text = r.text
    for personal in ("Arthur", "Mona", "Jones", "crook", "watches", "@example.com"):
        assert personal not in text, personal


def test_transparency_page_draws_charts(client: TestClient, cast: Cast) -> None:
    _history(client, cast)
    sign_in(client, cast.admin)
    page = client.get(f"/moderate/transparency?{PERIOD}")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 5 and "Decisions by action" in page.text
