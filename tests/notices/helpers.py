"""Filing notices as a signed-out reader would: fetch the form's token, wait, send."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.outbox.models import OutboxMessage
from tests.cast import Cast

NOTICES_URL = "/api/v1/sites/gazette/notices"


def form_token(client: TestClient, cast: Cast, site: str = "gazette") -> str:
    r = client.get(f"/api/v1/sites/{site}/notices/form")
    assert r.status_code == 200, r.text
    cast.clock.advance(seconds=5)  # a person reads the form before sending it
    token: str = r.json()["form_token"]
    return token


def notice_body(comment_id: int, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "comment_id": comment_id,
        "reason": "privacy",
        "explanation": "This comment gives my home address to everyone.",
        "name": "Cllr Jane Doe",
        "email": "jane.doe@example.org",
        "good_faith": True,
        "location": "https://news.example/a#comment",
    }
    body.update(over)
    return body


def file(client: TestClient, cast: Cast, comment_id: int, **over: Any) -> Any:
    body = notice_body(comment_id, **over)
    body.setdefault("form_token", form_token(client, cast))
    return client.post(NOTICES_URL, json=body)


def emails(session: Session, to: str | None = None) -> list[dict[str, Any]]:
    """The emails queued in the outbox, oldest first (optionally to one address)."""
    session.expire_all()
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "email").order_by(OutboxMessage.id)
    ).all()
    return [m.payload for m in rows if to is None or m.payload["to"] == to]
