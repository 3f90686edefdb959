"""Rough edges a moderator found: each test failed before its fix."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.audit.pages import ACTION_LABELS
from belowline.clock import FrozenClock
from belowline.models import Notification, QueueItem, Report
from tests.cast import RULE, Cast, post, report
from tests.dashboard.test_pages import BASE, sign_in

SRC = Path(__file__).resolve().parents[2] / "src" / "belowline"


def _decide(client: TestClient, cast: Cast, comment_id: int, **body: object) -> object:
    return client.post(
        f"/api/v1/moderation/comments/{comment_id}/decisions", json=body, headers=cast.h(cast.mod)
    )


def _queue(client: TestClient, cast: Cast, queue: str = "reported") -> list[int]:
    r = client.get(f"/api/v1/moderation/queues/{queue}?site_id=gazette", headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    return [i["comment"]["id"] for i in r.json()["items"]]


def test_approving_needs_no_rule_but_removing_does(client: TestClient, cast: Cast) -> None:
    comment_id = post(client, cast, cast.author, "A fair point, fairly made.")
    assert report(client, cast, cast.reader, comment_id).status_code == 201
    r = _decide(client, cast, comment_id, action="remove")
    assert r.status_code == 422 and "rule_id" in r.text  # type: ignore[attr-defined]
    r = _decide(client, cast, comment_id, action="approve")
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    assert r.json()["decision"]["rule"] is None  # type: ignore[attr-defined]
    assert _queue(client, cast) == []


def test_undoing_a_removal_reopens_the_report(
    client: TestClient, cast: Cast, session: Session
) -> None:
    comment_id = post(client, cast, cast.author, "Removed, then a second look.")
    assert report(client, cast, cast.reader, comment_id).status_code == 201
    assert _decide(client, cast, comment_id, action="remove", rule_id=RULE).status_code == 201  # type: ignore[attr-defined]
    assert _queue(client, cast) == []
    assert _decide(client, cast, comment_id, action="restore").status_code == 201  # type: ignore[attr-defined]
    session.expire_all()
    statuses = session.scalars(select(Report.status).where(Report.comment_id == comment_id)).all()
    assert list(statuses) == ["open"]
    assert _queue(client, cast) == [comment_id]
    item = session.scalars(select(QueueItem).where(QueueItem.comment_id == comment_id)).one()
    assert item.status == "open" and item.report_count == 1


def test_the_queue_order_holds_between_two_loads_when_nothing_changed(
    client: TestClient, cast: Cast, clock: FrozenClock, session: Session
) -> None:
    ids = []
    for i, reporters in enumerate(([cast.reader], [cast.reader, cast.reader2], [cast.reader2])):
        ids.append(post(client, cast, cast.author, f"Comment number {i} for the queue."))
        for who in reporters:
            assert report(client, cast, who, ids[-1]).status_code == 201
        clock.advance(minutes=7)
    first = _queue(client, cast)
    before = dict(session.execute(select(QueueItem.comment_id, QueueItem.priority)).all())
    clock.advance(minutes=20)  # time passes; nothing else happens
    assert _queue(client, cast) == first
    session.expire_all()
    after = dict(session.execute(select(QueueItem.comment_id, QueueItem.priority)).all())
    assert after == before
    # A change does re-rank (age counts again).
    late = post(client, cast, cast.author, "A new arrival.")
    assert report(client, cast, cast.reader, late).status_code == 201
    clock.advance(minutes=2)
    _queue(client, cast)
    session.expire_all()
    moved = dict(session.execute(select(QueueItem.comment_id, QueueItem.priority)).all())
    assert any(moved[i] != before[i] for i in ids)


def _audited_actions() -> set[str]:
    """Every action literal (or f-string prefix) passed to audit.write in the code."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "write" or getattr(node.func.value, "id", None) != "audit":
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                values = (
                    [kw.value.body, kw.value.orelse]
                    if isinstance(kw.value, ast.IfExp)
                    else [kw.value]
                )
                for value in values:
                    if isinstance(value, ast.Constant):
                        found.add(str(value.value))
                    elif isinstance(value, ast.JoinedStr):
                        found.add(str(getattr(value.values[0], "value", "")) + "*")
                    else:
                        raise AssertionError(f"{path}: an audit action the test cannot read")
    return found


def test_the_audit_filter_lists_every_action(
    client: TestClient, cast: Cast, client_factory: Callable[..., TestClient]
) -> None:
    actions = _audited_actions()
    assert {"schedule.update", "report", "webhook.create", "comment.feature"} <= actions
    for action in actions:
        if action.endswith("*"):
            assert any(a.startswith(action[:-1]) for a in ACTION_LABELS), action
        else:
            assert action in ACTION_LABELS, action
    browser = client_factory(base_url=BASE, follow_redirects=False)
    sign_in(browser, cast.admin)
    page = browser.get("/moderate/audit").text
    for action, label in ACTION_LABELS.items():
        assert f'value="{action}"' in page and label in page


def test_moderators_read_words_not_internal_codes(
    client: TestClient, cast: Cast, session: Session, client_factory: Callable[..., TestClient]
) -> None:
    r = client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions",
        json={"kind": "premoderate", "rule_id": RULE},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    post(client, cast, cast.author, "Waiting for a moderator.")
    browser = client_factory(base_url=BASE, follow_redirects=False)
    sign_in(browser, cast.mod)
    held = browser.get("/moderate?queue=held").text
    assert "author_premoderated" not in held
    assert "The author is on pre-moderation" in held
    session.expire_all()
    bodies = session.scalars(
        select(Notification.body).where(Notification.user_id == cast.author.id)
    )
    for body in bodies:
        assert f"({RULE})" not in body, body
