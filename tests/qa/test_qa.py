"""Q&A mode over HTTP: an editor opens it, readers ask, experts answer, readers filter."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.models import AuditEntry, Comment, OutboxMessage, QaQuestion, Story
from tests.cast import RULE, Cast, decide, post

STORY = "/api/v1/sites/gazette/stories/story-1"
QA = f"{STORY}/qa"


def _open(client: TestClient, cast: Cast, *experts: int) -> None:
    post(client, cast, cast.author, "The story exists once someone comments.")
    r = client.put(QA, json={"mode": "open"}, headers=cast.h(cast.mod))
    assert r.status_code == 200 and r.json()["mode"] == "open", r.text
    for user_id in experts:
        r = client.put(f"{QA}/experts/{user_id}", headers=cast.h(cast.mod))
        assert r.status_code == 200, r.text


def _qa(client: TestClient, cast: Cast, viewer: Any = None, **params: str) -> dict[str, Any]:
    r = client.get(QA, params=params, headers=cast.h(viewer))
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _answer(client: TestClient, cast: Cast, who: Any, question: int, body: str) -> Any:
    return client.post(
        f"/api/v1/qa/questions/{question}/answer", json={"body": body}, headers=cast.h(who)
    )


def _audit(session: Session) -> list[str]:
    session.expire_all()
    return [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_readers_ask_an_expert_answers_and_the_filters_split_them(
    client: TestClient, cast: Cast, session: Session
) -> None:
    assert _qa(client, cast)["mode"] == "off"
    first = post(client, cast, cast.author, "The story exists once someone comments.")
    client.put(QA, json={"mode": "open"}, headers=cast.h(cast.mod))
    r = client.put(f"{QA}/experts/{cast.reader2.id}", headers=cast.h(cast.mod))
    assert r.json()["experts"] == [{"id": cast.reader2.id, "display_name": "Rob Reader"}]
    q1 = post(client, cast, cast.reader, "When will the new bridge open?")
    q2 = post(client, cast, cast.author, "Who pays for the **bridge**?")
    data = _qa(client, cast)
    assert data["mode"] == "open" and data["counts"] == {"all": 3, "answered": 0, "unanswered": 3}
    assert [i["question"]["id"] for i in data["items"]] == [q2, q1, first]
    assert (
        data["items"][0]["question"]["body_html"]
        == "<p>Who pays for the <strong>bridge</strong>?</p>"
    )
    assert data["viewer"] == {"expert": False, "staff": False}
    assert "assignee" not in data["items"][0]

    r = _answer(client, cast, cast.reader2, q1, "In the spring, says the council.")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["answered"] is True and out["answer"]["parent_id"] == q1
    assert out["answer"]["status"] == "published"
    assert out["answer"]["author"]["display_name"] == "Rob Reader"

    answered = _qa(client, cast, filter="answered")
    assert [i["question"]["id"] for i in answered["items"]] == [q1]
    assert answered["items"][0]["answer"]["body_html"] == "<p>In the spring, says the council.</p>"
    unanswered = _qa(client, cast, filter="unanswered")
    assert [i["question"]["id"] for i in unanswered["items"]] == [q2, first]
    assert all(i["answer"] is None for i in unanswered["items"])
    assert unanswered["counts"] == {"all": 3, "answered": 1, "unanswered": 2}
    assert _qa(client, cast, cast.reader2)["viewer"] == {"expert": True, "staff": False}
    # The answer is an ordinary reply too: the thread shows it under the question.
    replies = client.get(f"/api/v1/comments/{q1}/replies").json()["items"]
    assert [c["body_html"] for c in replies] == ["<p>In the spring, says the council.</p>"]
    assert _audit(session)[-3:] == ["qa.open", "qa.expert_add", "qa.answer"]
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    assert [m.payload["to"] for m in mail if "expert" in m.payload["text"]] == [cast.reader2.email]


def test_pages_follow_the_cursor(client: TestClient, cast: Cast) -> None:
    _open(client, cast, cast.mod.id)
    asks = [
        "When will the bridge open to buses?",
        "How much will the council borrow for it?",
        "Is there a cycle path on both sides?",
        "Who decided the new design?",
        "Will the old railings be kept?",
    ]
    people = [cast.reader, cast.author, cast.reader2, cast.reader, cast.author]
    ids = [post(client, cast, who, text) for who, text in zip(people, asks, strict=True)]
    first = _qa(client, cast, limit="2")
    assert [i["question"]["id"] for i in first["items"]] == [ids[4], ids[3]]
    second = _qa(client, cast, limit="2", cursor=first["next_cursor"])
    assert [i["question"]["id"] for i in second["items"]] == [ids[2], ids[1]]
    last = _qa(client, cast, limit="2", cursor=second["next_cursor"])
    assert len(last["items"]) == 2 and last["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"filter": "nonsense"}, 422, "validation_error"),
        ({"cursor": "abc"}, 422, "invalid_cursor"),
        ({"cursor": "99999999999999"}, 422, "invalid_cursor"),
        ({"limit": "0"}, 422, "validation_error"),
    ],
)
def test_bad_listing_input_is_a_coded_4xx(
    client: TestClient, cast: Cast, params: dict[str, str], status: int, code: str
) -> None:
    _open(client, cast)
    r = client.get(QA, params=params)
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text


def test_refusals_write_nothing(client: TestClient, cast: Cast, session: Session) -> None:
    post(client, cast, cast.author, "A comment before any Q&A.")
    plain = post(client, cast, cast.reader, "Is this a question yet?")
    assert _answer(client, cast, cast.mod, plain, "Not yet.").json()["error"]["code"] == (
        "qa_not_enabled"
    )
    _open(client, cast, cast.reader2.id)
    reply = post(client, cast, cast.author, "A reply, not a question.", parent_id=plain)

    def comments() -> int:
        session.expire_all()
        return int(session.scalar(select(func.count()).select_from(Comment)) or 0)

    before = comments()
    cases = [
        (_answer(client, cast, cast.reader, plain, "I am no expert."), 403, "forbidden"),
        (_answer(client, cast, cast.mod, plain, "Staff, but not named."), 403, "forbidden"),
        (_answer(client, cast, None, plain, "Anonymous."), 401, "not_authenticated"),
        (_answer(client, cast, cast.reader2, reply, "Answering a reply."), 409, "not_a_question"),
        (_answer(client, cast, cast.reader2, plain, "   "), 422, "invalid_body"),
        (_answer(client, cast, cast.reader2, 999999, "Nothing there."), 404, "comment_not_found"),
        (
            client.post(
                f"/api/v1/qa/questions/{plain}/answer",
                json={"body": "x", "extra": 1},
                headers=cast.h(cast.reader2),
            ),
            422,
            "validation_error",
        ),
        (client.put(QA, json={"mode": "maybe"}, headers=cast.h(cast.mod)), 422, "validation_error"),
        (
            client.put(f"{STORY}x/qa", json={"mode": "open"}, headers=cast.h(cast.mod)),
            404,
            "story_not_found",
        ),
        (client.put(f"{QA}/experts/999999", headers=cast.h(cast.mod)), 404, "user_not_found"),
        (
            client.put(f"{QA}/experts/{cast.other_mod.id}", headers=cast.h(cast.mod)),
            404,
            "user_not_found",
        ),
        (
            client.put(
                f"/api/v1/qa/questions/{plain}/assignee",
                json={"expert_id": cast.reader.id},
                headers=cast.h(cast.mod),
            ),
            422,
            "not_an_expert",
        ),
    ]
    for r, status, code in cases:
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), r.text
    assert comments() == before
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(QaQuestion)) == 0

    assert _answer(client, cast, cast.reader2, plain, "Yes, now it is.").status_code == 201
    again = _answer(client, cast, cast.reader2, plain, "And again.")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"
    assert comments() == before + 1


def test_closing_keeps_the_questions_and_stops_new_ones(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _open(client, cast, cast.reader2.id)
    q = post(client, cast, cast.reader, "Will it be closed?")
    assert client.put(QA, json={"mode": "closed"}, headers=cast.h(cast.mod)).status_code == 200
    r = client.post(
        f"{STORY}/comments", json={"body": "A late question?"}, headers=cast.h(cast.reader)
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "commenting_closed"
    late = _answer(client, cast, cast.reader2, q, "Too late.")
    assert late.status_code == 409 and late.json()["error"]["code"] == "qa_closed"
    data = _qa(client, cast)
    assert data["mode"] == "closed" and data["counts"]["all"] == 2
    assert client.put(QA, json={"mode": "open"}, headers=cast.h(cast.mod)).status_code == 200
    assert _answer(client, cast, cast.reader2, q, "Open again.").status_code == 201
    assert client.put(QA, json={"mode": "off"}, headers=cast.h(cast.admin)).status_code == 200
    assert _qa(client, cast)["items"] == []
    session.expire_all()
    story = session.scalar(select(Story).where(Story.external_id == "story-1"))
    assert story is not None and story.closed is False
    assert _audit(session).count("qa.closed") == 1 and _audit(session).count("qa.off") == 1
    # Setting the same mode twice writes nothing more.
    client.put(QA, json={"mode": "off"}, headers=cast.h(cast.admin))
    assert _audit(session).count("qa.off") == 1


def test_moderators_assign_questions_that_only_staff_and_experts_see(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _open(client, cast, cast.reader2.id, cast.mod.id)
    q = post(client, cast, cast.reader, "Who will answer me?")
    url = f"/api/v1/qa/questions/{q}/assignee"
    r = client.put(url, json={"expert_id": cast.reader2.id}, headers=cast.h(cast.mod))
    assert r.status_code == 200 and r.json()["assignee"]["id"] == cast.reader2.id
    other = client.put(url, json={"expert_id": cast.reader2.id}, headers=cast.h(cast.other_mod))
    assert other.status_code == 403
    by_id = lambda d: {i["question"]["id"]: i for i in d["items"]}  # noqa: E731
    assert by_id(_qa(client, cast, cast.reader2))[q]["assignee"]["display_name"] == "Rob Reader"
    assert by_id(_qa(client, cast, cast.admin))[q]["assignee"]["id"] == cast.reader2.id
    assert "assignee" not in by_id(_qa(client, cast, cast.reader))[q]
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    assert any("Who will answer me?" in m.payload["text"] for m in mail)
    # Taking the expert off the story gives the question back to the pool.
    r = client.delete(f"{QA}/experts/{cast.reader2.id}", headers=cast.h(cast.mod))
    assert r.status_code == 204
    assert by_id(_qa(client, cast, cast.admin))[q]["assignee"] is None
    assert _audit(session)[-2:] == ["qa.assign", "qa.expert_remove"]
    r = client.put(url, json={"expert_id": cast.mod.id}, headers=cast.h(cast.mod))
    assert r.json()["assignee"]["id"] == cast.mod.id
    assert client.delete(url, headers=cast.h(cast.mod)).json()["assignee"] is None


def test_a_removed_answer_leaves_the_question_unanswered(client: TestClient, cast: Cast) -> None:
    _open(client, cast, cast.reader2.id)
    q = post(client, cast, cast.reader, "Is the answer still there?")
    answer = _answer(client, cast, cast.reader2, q, "For now it is.").json()["answer"]["id"]
    assert _qa(client, cast)["counts"]["answered"] == 1
    assert decide(client, cast, cast.mod, answer, action="remove", rule_id=RULE).status_code == 201
    assert _qa(client, cast)["counts"] == {"all": 2, "answered": 0, "unanswered": 2}
    assert _answer(client, cast, cast.reader2, q, "A better answer.").status_code == 201
    assert _qa(client, cast, filter="answered")["items"][0]["answer"]["body_html"] == (
        "<p>A better answer.</p>"
    )
