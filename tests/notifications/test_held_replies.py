"""A held reply notifies its parent's author when it is approved, and never while unseen."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cast import Cast, decide, post


def _replies(client: TestClient, cast: Cast) -> list[dict]:  # type: ignore[type-arg]
    r = client.get("/api/v1/me/notifications", headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["kind"] == "reply"]


def _hold_replies(session: Session, cast: Cast) -> None:
    story = session.merge(cast.world.story)
    story.premoderate = True
    session.commit()


def test_an_approved_held_reply_notifies_the_parent_author_once(
    client: TestClient, cast: Cast, session: Session
) -> None:
    parent = post(client, cast, cast.author, "The bypass will not fix the traffic.")
    _hold_replies(session, cast)
    reply = post(client, cast, cast.reader, "It will, look at the figures.", parent_id=parent)
    assert client.get(f"/api/v1/comments/{reply}").status_code in (403, 404)
    assert _replies(client, cast) == []  # nothing while it waits for a moderator

    r = decide(client, cast, cast.mod, reply, action="approve")
    assert r.status_code == 201, r.text
    [note] = _replies(client, cast)
    assert note["comment_id"] == reply
    assert "Rita Reader replied" in note["title"]
    assert "look at the figures" in note["body"]

    # Removing and restoring the now-seen reply does not notify a second time.
    assert decide(client, cast, cast.mod, reply, action="remove").status_code == 201
    assert decide(client, cast, cast.admin, reply, action="restore").status_code == 201
    assert len(_replies(client, cast)) == 1


def test_a_held_reply_that_is_removed_notifies_nobody(
    client: TestClient, cast: Cast, session: Session
) -> None:
    parent = post(client, cast, cast.author, "A fair point about the library.")
    _hold_replies(session, cast)
    reply = post(client, cast, cast.reader, "You are an idiot.", parent_id=parent)
    assert decide(client, cast, cast.mod, reply, action="remove").status_code == 201
    assert _replies(client, cast) == []


def test_an_amended_held_reply_owes_nothing_until_approved(
    client: TestClient, cast: Cast, session: Session
) -> None:
    parent = post(client, cast, cast.author, "The council meets on Tuesday.")
    _hold_replies(session, cast)
    reply = post(client, cast, cast.reader, "Thanks, and the clerk is a fool.", parent_id=parent)
    r = decide(client, cast, cast.mod, reply, action="amend", body="Thanks.")
    assert r.status_code == 201, r.text
    assert _replies(client, cast) == []  # amended, still held
    assert decide(client, cast, cast.mod, reply, action="approve").status_code == 201
    [note] = _replies(client, cast)
    assert "Thanks." in note["body"] and "fool" not in note["body"]


def test_a_reply_to_a_parent_removed_meanwhile_notifies_nobody(
    client: TestClient, cast: Cast, session: Session
) -> None:
    parent = post(client, cast, cast.author, "Original point.")
    _hold_replies(session, cast)
    reply = post(client, cast, cast.reader, "A reply that waits.", parent_id=parent)
    assert decide(client, cast, cast.mod, parent, action="remove").status_code == 201
    assert decide(client, cast, cast.mod, reply, action="approve").status_code == 201
    assert _replies(client, cast) == []


def test_an_unheld_reply_still_notifies_at_once(client: TestClient, cast: Cast) -> None:
    parent = post(client, cast, cast.author, "Bins on Thursday now.")
    post(client, cast, cast.reader, "Since when?", parent_id=parent)
    assert len(_replies(client, cast)) == 1
