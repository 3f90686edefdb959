"""Every reporter is told the outcome, never who decided; a re-report after it says so."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cast import Cast, decide, post, report
from tests.notices.helpers import emails


def _outcomes(client: TestClient, cast: Cast, user: object) -> list[dict[str, object]]:
    items = client.get("/api/v1/me/notifications", headers=cast.h(user)).json()["items"]  # type: ignore[arg-type]
    return [n for n in items if n["kind"] == "report_outcome"]


def test_every_reporter_is_told_the_removal(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "You are all idiots on this thread")
    assert report(client, cast, cast.reader, cid).status_code == 201
    assert report(client, cast, cast.reader2, cid, "other").status_code == 201
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    for reader in (cast.reader, cast.reader2):
        [note] = _outcomes(client, cast, reader)
        assert note["comment_id"] == cid
        assert "You are all idiots" in str(note["body"])
        assert "removed it: it broke our rule “Be civil”" in str(note["body"])
        assert "Mona" not in str(note["body"]) + str(note["title"])
        assert cast.mod.email not in str(note["body"])
        [mail] = emails(session, reader.email)
        assert mail["category"] == "report_outcome" and mail["user_id"] == reader.id
        assert "Mona" not in mail["text"]
    assert _outcomes(client, cast, cast.author) == []


def test_reporters_are_told_when_the_comment_stays(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "I disagree with the council")
    report(client, cast, cast.reader, cid, "untrue")
    assert decide(client, cast, cast.mod, cid, action="approve").status_code == 201
    [note] = _outcomes(client, cast, cast.reader)
    assert "does not break our rules, so it stays up" in str(note["body"])


def test_a_re_report_after_the_decision_gets_already_decided(
    client: TestClient, cast: Cast
) -> None:
    cid = post(client, cast, cast.author, "I disagree with the council")
    report(client, cast, cast.reader, cid)
    again = report(client, cast, cast.reader, cid)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reported"
    decide(client, cast, cast.mod, cid, action="approve")
    after = report(client, cast, cast.reader, cid)
    assert after.status_code == 409
    assert after.json()["error"]["code"] == "already_decided"
    assert "already decided" in after.json()["error"]["message"]
    # Someone who had not reported it may still do so.
    assert report(client, cast, cast.reader2, cid).status_code == 201
