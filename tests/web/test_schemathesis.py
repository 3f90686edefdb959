"""Schemathesis over every operation of the OpenAPI document, as four identities: a bounded,
derandomised run (the same cases every time) that fails on any server error (5xx)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.case import Case
from sqlalchemy import Engine

from belowline import migrate
from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.db import make_engine, make_sessionmaker
from belowline.settings import Settings
from tests.cast import Cast, make_cast, post, report
from tests.factories import TEST_SECRET

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 10  # per operation and identity: a few minutes in all on the CI machine
IDENTITIES = ("anonymous", "commenter", "moderator", "admin")


@pytest.fixture
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Cast]]:
    """One app and database per identity, with people, a comment and a report in it."""
    tmp = tmp_path_factory.mktemp("schemathesis")
    engine: Engine = make_engine(f"sqlite:///{tmp / 'belowline.db'}")
    migrate.upgrade(engine)
    clock = FrozenClock()
    settings_ = Settings(
        environment="test", data_dir=tmp, secret_key=TEST_SECRET, rate_limit_enabled=False
    )
    app = create_app(settings_, clock=clock, engine=engine)
    session = make_sessionmaker(engine)()
    cast = make_cast(session, clock)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        comment_id = post(client, cast, cast.author, "Something for the fuzzer to find.")
        report(client, cast, cast.reader, comment_id)
    yield app, cast
    session.close()
    engine.dispose()


def _headers(cast: Cast, identity: str) -> dict[str, str]:
    user = {
        "anonymous": None,
        "commenter": cast.reader,
        "moderator": cast.mod,
        "admin": cast.admin,
    }[identity]
    return cast.h(user)


def _is_envelope(response: Any) -> bool:
    """The contract's error shape, which the OpenAPI document now declares for every 4xx/5xx."""
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


def _declared_media_types(operation: Any, status: int) -> set[str]:
    """The media types the OpenAPI document promises for this operation and status."""
    responses = operation.definition.raw.get("responses", {})
    declared = responses.get(str(status)) or responses.get("default") or {}
    return set((declared.get("content") or {}).keys())


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_operation_answers_a_server_error(
    scene: tuple[Any, Cast], identity: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app, cast = scene
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = _headers(cast, identity)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    operations = 0
    # Closing one's own account ends the identity: that operation runs last.
    ordered = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (op.method.upper(), op.path) == ("DELETE", "/api/v1/me"),
    )
    for operation in ordered:
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,  # a fixed seed: the same cases on every run
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Case) -> None:
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            declared = _declared_media_types(case.operation, response.status_code)
            media = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
            if declared and media and media not in declared:
                failures.append(
                    f"{case.method} {case.formatted_path} → {response.status_code} {media}, "
                    f"declared {sorted(declared)}"
                )
            if response.status_code >= 400 and not _is_envelope(response):
                failures.append(f"{case.method} {case.formatted_path}: not the error envelope")
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: "
                    f"{response.text[:200]}\n  {case.as_curl_command()}"
                )

        run()
    total = sum(statuses.values())
    with capsys.disabled():  # the totals belong in the run's log
        sys.stdout.write(
            f"\nschemathesis {identity}: {operations} operations, {total} cases, "
            f"{dict(sorted(statuses.items()))}\n"
        )
    assert operations > 40
    assert not failures, "\n".join(failures[:20])


def test_the_document_declares_what_each_route_really_answers(scene: tuple[Any, Cast]) -> None:
    app, _cast = scene
    paths = app.openapi()["paths"]

    def media(path: str, status: str = "200") -> set[str]:
        return set(paths[path]["get"]["responses"][status].get("content", {}))

    moderation = "/api/v1/sites/{site_id}/moderation"
    assert media(f"{moderation}/charts/volume.svg") == {"image/svg+xml"}
    assert media(f"{moderation}/charts/volume.png") == {"image/png"}
    assert media("/api/v1/moderation/audit.csv") == {"text/csv"}
    assert media("/api/v1/sites/{site_id}/stories/{story_id}/events") == {"text/event-stream"}
    assert media("/api/v1/sites/{site_id}/transparency") == {"application/json", "text/csv"}
    assert media("/sites/{site_id}/rules") == {"text/html"}
    assert media("/sites/{site_id}/rules", "404") == {"application/json"}  # errors: the envelope
