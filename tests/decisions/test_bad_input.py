"""Every bad input of the moderation flow gets a clear 4xx code and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from tests.cast import Cast, decide, post, report, row_counts


def _snapshot(session: Session, comment_id: int) -> tuple[Any, ...]:
    session.expire_all()
    c = session.get(Comment, comment_id)
    assert c is not None
    return (c.status, c.body_md, c.version, c.moderator_edited, c.removal_reason)


Attempt = Callable[[TestClient, Cast, int, int], Any]

CASES: list[tuple[str, Attempt, int, str]] = [
    ("report own", lambda c, k, cid, _: report(c, k, k.author, cid), 403, "cannot_report_own"),
    (
        "report removed",
        lambda c, k, _, removed: report(c, k, k.reader, removed),
        404,
        "comment_not_found",
    ),
    ("report missing", lambda c, k, *_: report(c, k, k.reader, 999_999), 404, "comment_not_found"),
    (
        "report unknown reason",
        lambda c, k, cid, _: report(c, k, k.reader, cid, "boring"),
        422,
        "validation_error",
    ),
    (
        "report detail too long",
        lambda c, k, cid, _: report(c, k, k.reader, cid, "other", detail="x" * 501),
        422,
        "validation_error",
    ),
    (
        "decision without rule",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="remove", rule_id=None),
        422,
        "validation_error",
    ),
    (
        "decision with unknown rule",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="remove", rule_id="be-nice-lol"),
        422,
        "rule_not_found",
    ),
    (
        "decision with unknown action",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="delete"),
        422,
        "validation_error",
    ),
    (
        "amend to empty text",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="amend", body="   "),
        422,
        "invalid_body",
    ),
    (
        "amend without body",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="amend"),
        422,
        "invalid_body",
    ),
    (
        "restore what was never removed",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="restore"),
        409,
        "invalid_action",
    ),
    (
        "approve with nothing pending",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="approve"),
        409,
        "invalid_action",
    ),
    (
        "stale version",
        lambda c, k, cid, _: decide(c, k, k.mod, cid, action="remove", expected_version=0),
        409,
        "conflict",
    ),
    (
        "remove a removed comment",
        lambda c, k, _, removed: decide(c, k, k.mod, removed, action="remove"),
        409,
        "invalid_action",
    ),
    (
        "decision on a missing comment",
        lambda c, k, *_: decide(c, k, k.mod, 999_999, action="remove"),
        404,
        "comment_not_found",
    ),
    (
        "bulk with one bad id",
        lambda c, k, cid, removed: c.post(
            "/api/v1/moderation/bulk-decisions",
            json={"comment_ids": [cid, removed], "action": "remove", "rule_id": "respect"},
            headers=k.h(k.mod),
        ),
        409,
        "invalid_action",
    ),
    (
        "bulk amend",
        lambda c, k, cid, _: c.post(
            "/api/v1/moderation/bulk-decisions",
            json={"comment_ids": [cid], "action": "amend", "rule_id": "respect"},
            headers=k.h(k.mod),
        ),
        422,
        "validation_error",
    ),
    (
        "suspend without end",
        lambda c, k, *_: c.post(
            f"/api/v1/moderation/users/{k.author.id}/sanctions",
            json={"kind": "suspend", "rule_id": "respect"},
            headers=k.h(k.mod),
        ),
        422,
        "validation_error",
    ),
    (
        "suspend ending in the past",
        lambda c, k, *_: c.post(
            f"/api/v1/moderation/users/{k.author.id}/sanctions",
            json={"kind": "suspend", "rule_id": "respect", "until": "2020-01-01T00:00:00Z"},
            headers=k.h(k.mod),
        ),
        422,
        "validation_error",
    ),
    (
        "sanction with unknown rule",
        lambda c, k, *_: c.post(
            f"/api/v1/moderation/users/{k.author.id}/sanctions",
            json={"kind": "ban", "rule_id": "nope"},
            headers=k.h(k.mod),
        ),
        422,
        "rule_not_found",
    ),
    (
        "unknown sanction kind",
        lambda c, k, *_: c.post(
            f"/api/v1/moderation/users/{k.author.id}/sanctions",
            json={"kind": "shame", "rule_id": "respect"},
            headers=k.h(k.mod),
        ),
        422,
        "validation_error",
    ),
    (
        "empty moderator note",
        lambda c, k, *_: c.post(
            f"/api/v1/moderation/users/{k.author.id}", json={"note": " "}, headers=k.h(k.mod)
        ),
        422,
        "validation_error",
    ),
    (
        "unknown queue",
        lambda c, k, *_: c.get("/api/v1/moderation/queues/everything", headers=k.h(k.mod)),
        422,
        "validation_error",
    ),
]


@pytest.mark.parametrize(
    ("attempt", "status", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_writes_nothing(
    client: TestClient, cast: Cast, session: Session, attempt: Attempt, status: int, code: str
) -> None:
    cid = post(client, cast, cast.author, "A comment under review")
    removed = post(client, cast, cast.author, "Already removed")
    assert decide(client, cast, cast.mod, removed, action="remove").status_code == 201
    before = row_counts(session)
    states = (_snapshot(session, cid), _snapshot(session, removed))
    r = attempt(client, cast, cid, removed)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert row_counts(session) == before
    assert (_snapshot(session, cid), _snapshot(session, removed)) == states
