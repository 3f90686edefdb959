"""Active learning in the queue: of items alike, the one the model is least sure of is first."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.queues.models import QueueName
from belowline.queues.service import open_item
from belowline.staffing.sla import unsure
from tests.cast import Cast, post


def test_unsure_is_highest_at_even_odds() -> None:
    assert unsure(0.5) == 1.0
    assert unsure(0.0) == unsure(1.0) == 0.0
    assert unsure(0.45) > unsure(0.2) > unsure(0.02)


def test_the_queue_puts_doubtful_items_before_clear_ones_but_after_clear_harm(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cases = (("clear", 0.02), ("doubtful", 0.45), ("harmful", 0.97))  # posted in this order
    posted = [post(client, cast, cast.author, f"On the bridge, the {n} one") for n, _ in cases]
    ids = {}
    for cid, (name, abuse) in zip(posted, cases, strict=True):
        comment = session.get(Comment, cid)
        assert comment is not None
        comment.scores = {**(comment.scores or {}), "abuse": abuse, "spam": 0.0}
        open_item(session, comment=comment, queue=QueueName.FLAGGED, now=cast.clock())
        ids[cid] = name
    session.commit()
    queue = client.get("/api/v1/moderation/queues/flagged", headers=cast.h(cast.mod))
    assert queue.status_code == 200, queue.text
    order = [ids[item["comment"]["id"]] for item in queue.json()["items"]]
    assert order == ["harmful", "doubtful", "clear"]
