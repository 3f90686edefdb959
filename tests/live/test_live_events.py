"""Reports and decisions reach the live bus after commit: dashboards and threads update."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from belowline.live.bus import LocalBus
from tests.cast import Cast, decide, post, report


class RecordingBus(LocalBus):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        self.sent.append((channel, message))
        super().publish(channel, message)


@pytest.fixture
def bus(app: FastAPI) -> RecordingBus:
    recorder = RecordingBus()
    app.state.bus = recorder
    return recorder


def test_report_and_removal_are_pushed_to_queue_and_thread(
    client: TestClient, cast: Cast, bus: RecordingBus
) -> None:
    cid = post(client, cast, cast.author, "Pushed around")
    report(client, cast, cast.reader, cid)
    decide(client, cast, cast.mod, cid, action="remove")
    moderation = [m for ch, m in bus.sent if ch == "moderation:gazette"]
    assert [m["type"] for m in moderation] == ["moderation.reported", "moderation.decided"]
    assert moderation[0]["comment_id"] == cid
    assert moderation[1]["action"] == "remove"
    thread = [m for ch, m in bus.sent if ch == "story:gazette:story-1"]
    removed = thread[-1]
    assert removed["type"] == "comment.removed"
    assert removed["comment"]["status"] == "removed"
    assert "Be civil" in removed["comment"]["removal_reason"]
    assert removed["comment"]["body_html"] == ""


def test_refused_decision_sends_nothing(client: TestClient, cast: Cast, bus: RecordingBus) -> None:
    cid = post(client, cast, cast.author, "Quiet")
    bus.sent.clear()
    assert decide(client, cast, cast.mod, cid, action="restore").status_code == 409
    assert bus.sent == []
