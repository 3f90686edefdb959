"""The pure-ASGI post path answers every post exactly as the FastAPI route does.

The same requests, in the same order, go to an app with the post path and, on a database
seeded the same way, to one without it; every answer (status, body, headers) and the rows
left behind must be the same, and the cases the post path is meant to answer itself must
have been answered by it (the rest handed on to the full app).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from belowline.accounts.models import Role
from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments.posting.fastpath import PostFastPath
from belowline.db import make_sessionmaker
from belowline.settings import Settings
from belowline.stories import service as stories_service
from belowline.stories.story_token import sign_story_token
from tests.dashboard.test_pages import sign_in
from tests.factories import ORIGIN, SSO_SECRET, TEST_SECRET, auth, make_user, make_world
from tests.snapshot import emptied_postgres, sqlite_engine

SITE = "/api/v1/sites/gazette/stories/{}/comments"
URL = SITE.format("story-1")
_PER_ANSWER = {"date", "server"}
Case = tuple[str, bool, dict[str, Any]]  # name, answered by the post path, request


@pytest.fixture
def fresh_engine(migrated_template: Path | str, tmp_path: Path) -> Iterator[Callable[[], Engine]]:
    """A new engine on a freshly migrated, empty database each call (the last one disposed)."""
    made: list[Engine] = []

    def make() -> Engine:
        for engine in made:
            engine.dispose()
        if isinstance(migrated_template, str):
            engine = emptied_postgres(migrated_template)  # sequences start again too
        else:
            db = tmp_path / f"posting-{len(made)}.db"
            shutil.copy(migrated_template, db)
            engine = sqlite_engine(db, group_commit=True)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


def _seed(engine: Engine, clock: FrozenClock) -> dict[str, dict[str, str]]:
    """Two sites and the readers of every case; returns their request headers by name."""
    session = make_sessionmaker(engine)()
    now = clock()
    world = make_world(session, now)
    other = make_world(session, now, site_id="courier")
    users = {
        name: make_user(session, world.site, now, name=name.title())
        for name in ("alice", "carol", "bob", "dora", "erin")
    }
    users["sam"] = make_user(session, world.site, now, name="Sam")
    users["sam"].suspended_until = now + timedelta(days=2)
    users["tess"] = make_user(session, world.site, now, name="Tess", accept_rules=False)
    users["nina"] = make_user(session, world.site, now, name="Nina", subscriber=False)
    users["otto"] = make_user(session, other.site, now, name="Otto")
    users["mona"] = make_user(session, world.site, now, role=Role.MODERATOR, name="Mona")
    closed = stories_service.upsert_story(
        session, site_id="gazette", external_id="closed-1", now=now, title="Closed"
    )
    closed.closed = True
    session.commit()
    heads = {name: auth(user, now, TEST_SECRET) for name, user in users.items()}
    heads["rules_version"] = {"v": str(world.rules_version)}
    session.close()
    return heads


def _cases(heads: dict[str, dict[str, str]], first_id: int) -> list[Case]:
    a, c, b = heads["alice"], heads["carol"], heads["bob"]
    token = sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="lazy-1")
    wrong = sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="other")
    version = int(heads["rules_version"]["v"])
    json_head = {"Content-Type": "application/json"}
    return [
        ("reply", True, {"json": {"body": "A reply.", "parent_id": first_id}, "headers": a}),
        ("unauthenticated", False, {"json": {"body": "Hello"}}),
        ("invalid token", True, {"json": {"body": "Hi"}, "headers": _bearer("nope")}),
        ("invalid JSON", False, {"content": b'{"body": ', "headers": {**a, **json_head}}),
        ("empty body", False, {"content": b"", "headers": {**a, **json_head}}),
        ("not an object", False, {"content": b"[1]", "headers": {**a, **json_head}}),
        (
            "NaN",
            False,
            {"content": b'{"body": "x", "parent_id": NaN}', "headers": {**a, **json_head}},
        ),
        ("extra field", False, {"json": {"body": "x", "colour": 1}, "headers": a}),
        ("too long for the model", False, {"json": {"body": "x" * 20_001}, "headers": a}),
        ("too long for the site", True, {"json": {"body": "word " * 1_500}, "headers": a}),
        ("blank", True, {"json": {"body": "   "}, "headers": a}),
        (
            "too large",
            False,
            {"content": b'{"body": "' + b"x" * 70_000 + b'"}', "headers": {**a, **json_head}},
        ),
        ("form body", False, {"data": {"body": "x"}, "headers": a}),
        ("NUL", False, {"json": {"body": "a\x00b"}, "headers": a}),
        ("query string", False, {"json": {"body": "Why?"}, "headers": c, "params": {"x": "1"}}),
        (
            "closed story",
            True,
            {"url": SITE.format("closed-1"), "json": {"body": "x"}, "headers": a},
        ),
        ("unknown story", True, {"url": SITE.format("nope"), "json": {"body": "x"}, "headers": a}),
        (
            "story token",
            True,
            {
                "url": SITE.format("lazy-1"),
                "json": {"body": "First!", "story_token": token},
                "headers": c,
            },
        ),
        (
            "wrong story token",
            True,
            {
                "url": SITE.format("lazy-2"),
                "json": {"body": "x", "story_token": wrong},
                "headers": a,
            },
        ),
        (
            "unknown site",
            True,
            {
                "url": "/api/v1/sites/nowhere/stories/s/comments",
                "json": {"body": "x"},
                "headers": a,
            },
        ),
        ("another site's reader", True, {"json": {"body": "x"}, "headers": heads["otto"]}),
        ("parent not found", True, {"json": {"body": "x", "parent_id": 999_999}, "headers": a}),
        ("sanctioned", True, {"json": {"body": "x"}, "headers": heads["sam"]}),
        ("not a subscriber", True, {"json": {"body": "x"}, "headers": heads["nina"]}),
        ("terms not accepted", True, {"json": {"body": "x"}, "headers": heads["tess"]}),
        (
            "terms accepted now",
            True,
            {
                "json": {"body": "Agreed.", "accept_terms_version": version},
                "headers": heads["tess"],
            },
        ),
        (
            "allowed origin",
            True,
            {"json": {"body": "From the page."}, "headers": {**heads["erin"], "Origin": ORIGIN}},
        ),
        (
            "other origin",
            True,
            {
                "json": {"body": "Elsewhere."},
                "headers": {**heads["dora"], "Origin": "https://evil.example"},
            },
        ),
        (
            "in French",
            True,
            {"json": {"body": "x"}, "headers": {**heads["sam"], "Accept-Language": "fr"}},
        ),
        ("htmx", False, {"json": {"body": "x"}, "headers": {**heads["sam"], "HX-Request": "true"}}),
        (
            "repeated header",
            False,
            {"json": {"body": "x"}, "headers": [*a.items(), *heads["sam"].items()]},
        ),
        ("moderator", True, {"json": {"body": "A note from the desk."}, "headers": heads["mona"]}),
        *[
            (f"rate limit {n}", True, {"json": {"body": f"Take {n}."}, "headers": b})
            for n in range(13)
        ],
    ]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _answer(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    headers = sorted((k, v) for k, v in response.headers.multi_items() if k not in _PER_ANSWER)
    return response.status_code, response.content, headers


def _run(
    settings: Settings, engine: Engine, *, fast: bool
) -> tuple[list[tuple[str, bool, Any]], list[Any]]:
    clock = FrozenClock()
    heads = _seed(engine, clock)
    changes = {"post_fast_path": fast, "rate_limit_enabled": True, "rate_limit_posts": "12/minute"}
    app = create_app(settings.model_copy(update=changes), clock=clock, engine=engine)
    out: list[tuple[str, bool, Any]] = []
    with TestClient(app) as client:
        stack = app.middleware_stack
        assert isinstance(stack, PostFastPath) == fast

        def answered() -> int:
            return stack.answered if isinstance(stack, PostFastPath) else 0

        first = client.post(URL, json={"body": "A fair point."}, headers=heads["alice"])
        assert first.status_code == 201, first.text
        out.append(("post", answered() == 1, _answer(first)))
        # A dashboard session with a wrong CSRF token: the API reads bearer tokens only.
        sign_in(client, _mona(engine))
        for name, bearer in (
            ("cookie, bad CSRF", {}),
            ("cookie, bad CSRF, bearer", heads["carol"]),
        ):
            before = answered()
            r = client.post(
                URL, json={"body": "Via cookie."}, headers={"X-CSRF-Token": "x" * 40, **bearer}
            )
            out.append((name, answered() > before, _answer(r)))
        client.cookies.clear()
        for name, _, request in _cases(heads, first.json()["id"]):
            before = answered()
            r = client.request("POST", request.pop("url", URL), **request)
            out.append((name, answered() > before, _answer(r)))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.id, s.external_id, c.parent_id, c.author_id, c.status, c.body_html "
                "FROM comments c JOIN stories s ON s.id = c.story_id ORDER BY c.id"
            )
        ).all()
    return out, [tuple(row) for row in rows]


def _mona(engine: Engine) -> Any:
    from sqlalchemy import select

    from belowline.accounts.models import User

    with make_sessionmaker(engine)() as session:
        return session.scalars(select(User).where(User.display_name == "Mona")).one()


def test_the_post_path_answers_as_the_full_app_does(
    settings: Settings, fresh_engine: Callable[[], Engine]
) -> None:
    fast, fast_rows = _run(settings, fresh_engine(), fast=True)
    full, full_rows = _run(settings, fresh_engine(), fast=False)
    assert [name for name, _, _ in fast] == [name for name, _, _ in full]
    for (name, _, got), (_, _, want) in zip(fast, full, strict=True):
        assert got == want, name
    assert fast_rows == full_rows
    expected = {"post": True, "cookie, bad CSRF": False, "cookie, bad CSRF, bearer": True}
    expected |= {name: mine for name, mine, _ in _cases(_seed_free_heads(), 1)}
    assert {name: mine for name, mine, _ in fast} == expected
    statuses = {name: answer[0] for name, _, answer in fast}
    # The cases are what they say they are (the same on both paths, checked above).
    assert statuses["post"] == statuses["reply"] == statuses["story token"] == 201
    assert statuses["terms accepted now"] == statuses["allowed origin"] == 201
    assert statuses["unauthenticated"] == statuses["cookie, bad CSRF"] == 401
    assert statuses["invalid token"] == 401
    assert statuses["invalid JSON"] == 400
    assert statuses["empty body"] == statuses["extra field"] == statuses["NUL"] == 422
    assert statuses["too long for the site"] == statuses["too long for the model"] == 422
    assert statuses["too large"] == 413
    assert statuses["form body"] == 415
    assert statuses["closed story"] == statuses["sanctioned"] == 403
    assert statuses["terms not accepted"] == statuses["another site's reader"] == 403
    assert statuses["unknown story"] == statuses["unknown site"] == 404
    assert statuses["parent not found"] == 404
    assert statuses["wrong story token"] == 403
    assert [statuses[f"rate limit {n}"] for n in range(13)] == [201] * 12 + [429]
    by_name = {name: dict(answer[2]) for name, _, answer in fast}
    assert by_name["allowed origin"]["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in by_name["other origin"]
    assert by_name["rate limit 12"]["retry-after"] == "60"
    assert by_name["in French"]["content-language"] == "fr"
    assert by_name["post"]["cache-control"] == "private, no-store"


def _seed_free_heads() -> dict[str, dict[str, str]]:
    """Stand-in headers: only the names and flags of the cases are read from these."""
    names = ("alice", "carol", "bob", "dora", "erin", "sam", "tess", "nina", "otto", "mona")
    return {name: {} for name in names} | {"rules_version": {"v": "1"}}
