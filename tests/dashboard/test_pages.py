"""The dashboard over real HTTP: sign-in, staff only, CSRF on every write, decisions on record."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.models import AuditEntry, Decision, RulesVersion
from belowline.web.security import COOKIE
from tests.cast import RULE, Cast, post, report, row_counts

PASSWORD = "correct horse battery"
BASE = "http://testserver"


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, user: User, site_id: str = "gazette") -> str:
    """Sign in through the form; return the session's CSRF token."""
    form = client.get("/moderate/login")
    assert form.status_code == 200
    r = client.post(
        "/moderate/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "site_id": site_id,
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/moderate"
    page = client.get("/moderate")
    assert page.status_code == 200
    return csrf_of(page.text)


@pytest.fixture
def dash(client_factory: Callable[..., TestClient]) -> Callable[[], TestClient]:
    """A browser-like client of its own (cookies kept, redirects not followed)."""
    return lambda: client_factory(base_url=BASE, follow_redirects=False)


@pytest.fixture
def reported(client: TestClient, cast: Cast) -> int:
    comment_id = post(client, cast, cast.author, "Everyone who disagrees is an idiot.")
    assert report(client, cast, cast.reader, comment_id, detail="Insults").status_code == 201
    return comment_id


def test_dashboard_without_session_redirects_to_sign_in(dash: Callable[[], TestClient]) -> None:
    r = dash().get("/moderate?queue=held")
    assert r.status_code == 303
    assert r.headers["location"] == "/moderate/login?next=%2Fmoderate%3Fqueue%3Dheld"


def test_sign_in_sets_a_hardened_cookie_and_shows_the_queue(
    dash: Callable[[], TestClient], cast: Cast, reported: int
) -> None:
    client = dash()
    form = client.get("/moderate/login")
    assert "script-src 'self'" in form.headers["content-security-policy"]
    assert "unsafe-inline" not in form.headers["content-security-policy"]
    r = client.post(
        "/moderate/login",
        data={
            "email": cast.mod.email,
            "password": PASSWORD,
            "csrf_token": csrf_of(form.text),
            "next": "/moderate?queue=held",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/moderate?queue=held"
    cookie = r.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/moderate" in cookie
    page = client.get("/moderate")
    assert page.status_code == 200
    assert "Everyone who disagrees is an idiot." in page.text
    assert "Abusive or harassing" in page.text
    assert 'data-count="reported">1<' in page.text
    # The session rotates the CSRF token at sign-in.
    assert csrf_of(page.text) != csrf_of(form.text)


def test_wrong_password_is_refused_without_a_session(
    dash: Callable[[], TestClient], cast: Cast
) -> None:
    client = dash()
    form = client.get("/moderate/login")
    r = client.post(
        "/moderate/login",
        data={
            "email": cast.mod.email,
            "password": "nope-nope-nope",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert r.status_code == 401
    assert "do not match" in r.text
    assert client.get("/moderate").status_code == 303


def test_commenters_get_403_from_the_sign_in(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    form = client.get("/moderate/login")
    r = client.post(
        "/moderate/login",
        data={
            "email": cast.reader.email,
            "password": PASSWORD,
            "site_id": "gazette",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert r.status_code == 403
    assert "for moderators and admins" in r.text
    assert client.get("/moderate").status_code == 303


def test_a_demoted_moderator_gets_403(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    client = dash()
    sign_in(client, cast.mod)
    user = session.get(User, cast.mod.id)
    assert user is not None
    user.role = "commenter"
    session.commit()
    r = client.get("/moderate")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_a_bearer_token_does_not_open_the_dashboard(
    dash: Callable[[], TestClient], cast: Cast
) -> None:
    assert dash().get("/moderate", headers=cast.h(cast.admin)).status_code == 303


def test_sign_in_itself_needs_the_csrf_token(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    client.get("/moderate/login")
    r = client.post("/moderate/login", data={"email": cast.mod.email, "password": PASSWORD})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"


def _writes(comment_id: int, user_id: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"/moderate/comments/{comment_id}/decide", {"action": "remove", "rule_id": RULE}),
        ("/moderate/bulk", {"action": "remove", "rule_id": RULE, "comment_ids": [comment_id]}),
        (f"/moderate/users/{user_id}/notes", {"note": "Watch this one"}),
        (
            f"/moderate/users/{user_id}/sanctions",
            {"kind": "warn", "rule_id": RULE, "note": "first"},
        ),
        ("/moderate/rules", {"key": [RULE], "title": ["Be civil"], "text": ["Be kind."]}),
        ("/moderate/logout", {}),
    ]


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_dashboard_write_needs_the_csrf_token(
    dash: Callable[[], TestClient],
    cast: Cast,
    reported: int,
    session: Session,
    index: int,
    token: str,
) -> None:
    client = dash()
    sign_in(client, cast.admin)
    before = row_counts(session)
    rules_before = session.scalar(select(RulesVersion.version).order_by(RulesVersion.id.desc()))
    url, data = _writes(reported, cast.author.id)[index]
    if token == "wrong":
        data = {**data, "csrf_token": "x" * 43}
    r = client.post(url, data=data, headers={"HX-Request": "true"})
    assert r.status_code == 403, r.text
    assert 'data-code="csrf_failed"' in r.text
    assert row_counts(session) == before
    session.expire_all()
    assert session.scalar(select(RulesVersion.version).order_by(RulesVersion.id.desc())) == (
        rules_before
    )
    assert client.get("/moderate").status_code == 200  # still signed in: logout was refused too


def test_a_write_from_another_origin_is_refused_even_with_the_token(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    before = row_counts(session)
    r = client.post(
        f"/moderate/comments/{reported}/decide",
        data={"action": "remove", "rule_id": RULE, "csrf_token": csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"
    assert row_counts(session) == before


def test_a_removal_through_the_dashboard_is_on_the_record(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    r = client.post(
        f"/moderate/comments/{reported}/decide",
        data={
            "action": "remove",
            "rule_id": RULE,
            "note": "Clear insult",
            "message": "Please argue with the idea.",
            "expected_version": "1",
            "queue": "reported",
        },
        headers={"HX-Request": "true", "X-CSRF-Token": csrf, "Origin": BASE},
    )
    assert r.status_code == 200, r.text
    assert "Removed" in r.text
    assert "by you" in r.text
    assert 'data-act="undo"' in r.text
    assert r.headers["hx-trigger"] == "queue-changed"
    session.expire_all()
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.rule_key, entry.note) == (
        "comment.remove",
        cast.mod.id,
        RULE,
        "Clear insult",
    )
    comment = session.get(Comment, reported)
    assert comment is not None
    assert comment.status == "removed"
    # The queue is empty now, and the Decided tab shows the decision.
    assert "Nothing waiting here." in client.get("/moderate").text
    decided = client.get("/moderate?queue=decided").text
    assert "Everyone who disagrees" in decided
    assert "by you" in decided


def test_undo_restores_the_comment(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    url = f"/moderate/comments/{reported}/decide"
    assert client.post(url, data={"action": "remove", "rule_id": RULE}, headers=hx).is_success
    r = client.post(
        url, data={"action": "restore", "rule_id": RULE, "expected_version": "2"}, headers=hx
    )
    assert r.status_code == 200, r.text
    assert "Restored" in r.text
    session.expire_all()
    comment = session.get(Comment, reported)
    assert comment is not None
    assert comment.status == "published"


def test_a_stale_version_shows_the_other_decision_in_place(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    first, second = dash(), dash()
    csrf1 = sign_in(first, cast.mod)
    csrf2 = sign_in(second, cast.admin)
    url = f"/moderate/comments/{reported}/decide"
    data = {"action": "remove", "rule_id": RULE, "expected_version": "1"}
    assert first.post(
        url, data=data, headers={"HX-Request": "true", "X-CSRF-Token": csrf1}
    ).is_success
    before = row_counts(session)
    r = second.post(
        url,
        data={**data, "action": "approve"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf2},
    )
    assert r.status_code == 409
    assert "Someone else got here first." in r.text
    assert "Removed" in r.text
    assert "Mona Moderator" in r.text
    assert row_counts(session) == before


def test_a_decision_without_a_rule_is_refused_in_place(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    before = row_counts(session)
    r = client.post(
        f"/moderate/comments/{reported}/decide",
        data={"action": "remove", "rule_id": ""},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert r.status_code == 422
    assert "Choose the community rule" in r.text
    assert f'id="item-{reported}"' in r.text
    assert row_counts(session) == before
    assert session.scalar(select(Decision.id)) is None


def test_bulk_remove_through_the_dashboard(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast, session: Session
) -> None:
    ids = [post(client, cast, cast.author, f"Buy cheap watches {n}") for n in range(3)]
    for comment_id in ids:
        assert report(client, cast, cast.reader, comment_id, reason="spam").status_code == 201
    dashboard = dash()
    csrf = sign_in(dashboard, cast.mod)
    r = dashboard.post(
        "/moderate/bulk",
        data={"action": "remove", "rule_id": "no-spam", "comment_ids": ids},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert r.status_code == 200, r.text
    assert "3 comments removed." in r.text
    session.expire_all()
    statuses = session.scalars(select(Comment.status).where(Comment.id.in_(ids))).all()
    assert set(statuses) == {"removed"}


def test_filters_by_reason(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast, reported: int
) -> None:
    spam = post(client, cast, cast.author, "Visit my shop")
    report(client, cast, cast.reader, spam, reason="spam")
    dashboard = dash()
    sign_in(dashboard, cast.mod)
    text = dashboard.get("/moderate?reason=spam").text
    assert "Visit my shop" in text
    assert "Everyone who disagrees" not in text
    assert f'id="item-{reported}"' in dashboard.get("/moderate?reason=abusive").text


def test_logout_ends_the_session(dash: Callable[[], TestClient], cast: Cast) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    r = client.post("/moderate/logout", data={"csrf_token": csrf})
    assert r.status_code == 303
    assert client.get("/moderate").status_code == 303


def test_user_page_notes_and_sanctions(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    page = client.get(f"/moderate/users/{cast.author.id}")
    assert page.status_code == 200
    assert "Arthur Author" in page.text
    assert "Reports against them" in page.text
    assert "Insults" in page.text
    r = client.post(
        f"/moderate/users/{cast.author.id}/notes",
        data={"note": "Second warning", "csrf_token": csrf},
    )
    assert r.status_code == 303
    r = client.post(
        f"/moderate/users/{cast.author.id}/sanctions",
        data={"kind": "suspend", "rule_id": RULE, "until": "2026-12-07T09:00", "csrf_token": csrf},
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Sanction imposed" in page
    assert "Second warning" in page
    session.expire_all()
    author = session.get(User, cast.author.id)
    assert author is not None
    assert author.suspended_until is not None
    # A suspension without an end is refused in place, and nothing is written.
    before = row_counts(session)
    r = client.post(
        f"/moderate/users/{cast.author.id}/sanctions",
        data={"kind": "suspend", "rule_id": RULE, "csrf_token": csrf},
    )
    assert r.status_code == 422
    assert "needs an end time" in r.text
    assert row_counts(session) == before
    # Lifting is for admins: the moderator sees no Lift button.
    assert "/lift" not in page


def test_audit_and_rules_are_for_admins(
    dash: Callable[[], TestClient], cast: Cast, reported: int, session: Session
) -> None:
    mod = dash()
    sign_in(mod, cast.mod)
    assert mod.get("/moderate/audit").status_code == 403
    assert mod.get("/moderate/audit.csv").status_code == 403
    assert mod.get("/moderate/rules").status_code == 403
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    admin.post(
        f"/moderate/comments/{reported}/decide",
        data={"action": "remove", "rule_id": RULE},
        headers=hx,
    )
    page = admin.get("/moderate/audit?action=comment.remove")
    assert page.status_code == 200
    assert "comment.remove" in page.text
    csv = admin.get("/moderate/audit.csv?action=comment.remove")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1].split(",")[6] == "comment.remove"


def test_publishing_rules_makes_commenters_accept_again(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast, session: Session
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    r = admin.post(
        "/moderate/rules",
        data={
            "csrf_token": csrf,
            "intro": "Be good.",
            "key": ["respect", "no-spam"],
            "title": ["Be civil", "No adverts"],
            "text": ["Argue with ideas.", "No selling."],
        },
    )
    assert r.status_code == 303, r.text
    assert "Version 2 published" in admin.get(r.headers["location"]).text
    rules = client.get("/api/v1/sites/gazette/rules").json()
    assert rules["version"] == 2
    assert [x["id"] for x in rules["rules"]] == ["respect", "no-spam"]
    refused = client.post(
        "/api/v1/sites/gazette/stories/story-1/comments",
        json={"body": "Hello again"},
        headers=cast.h(cast.author),
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "terms_not_accepted"
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.action, entry.target_id) == ("rules.publish", "2")
    # A bad id is refused in place and publishes nothing.
    r = admin.post(
        "/moderate/rules",
        data={"csrf_token": csrf, "key": ["Bad Id!"], "title": ["X"], "text": ["Y"]},
    )
    assert r.status_code == 422
    assert client.get("/api/v1/sites/gazette/rules").json()["version"] == 2


def test_signing_out_ends_the_session_on_the_server(
    dash: Callable[[], TestClient], cast: Cast
) -> None:
    client = dash()
    csrf = sign_in(client, cast.mod)
    stolen = client.cookies.get("belowline_dashboard")
    other_device = dash()
    sign_in(other_device, cast.mod)
    r = client.post("/moderate/logout", data={"csrf_token": csrf})
    assert r.status_code == 303
    replay = dash()
    replay.cookies.set("belowline_dashboard", stolen or "", path="/moderate")
    assert replay.get("/moderate").status_code == 303  # back to the sign-in
    assert other_device.get("/moderate").status_code == 303  # signed out everywhere
    sign_in(client, cast.mod)  # signing in again works


def test_sign_in_refusals_are_alike_in_words_and_time(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    from statistics import median
    from time import perf_counter

    inactive = session.get(User, cast.admin.id)
    assert inactive is not None
    inactive.deactivated_at = cast.clock()
    session.commit()
    client = dash()
    form = client.get("/moderate/login")
    assert "courier" not in form.text.lower() and "gazette" not in form.text.lower()
    csrf = csrf_of(form.text)
    cases = {
        "unknown": lambda i: {"email": f"nobody{i}@example.com", "password": "whatever-123"},
        "wrong": lambda _i: {"email": cast.mod.email, "password": "nope-nope-nope"},
        "inactive": lambda _i: {"email": cast.admin.email, "password": PASSWORD},
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    bodies: dict[str, set[str]] = {name: set() for name in cases}
    for i in range(4):  # under the per-account throttle's free failures
        for name, data in cases.items():
            started = perf_counter()
            r = client.post("/moderate/login", data={**data(i), "csrf_token": csrf})
            times[name].append(perf_counter() - started)
            assert r.status_code == 401, (name, r.text)
            found = re.search(r'role="alert">([^<]*)<', r.text)
            assert found, r.text
            bodies[name].add(found.group(1))
    assert len(set.union(*bodies.values())) == 1, bodies
    fastest, slowest = min(map(median, times.values())), max(map(median, times.values()))
    # Each does one password hash: an unknown email is no longer ~10 times quicker.
    assert slowest < 3 * fastest, times
