"""Two readers reporting one comment at the same moment: one queue item, both reports counted."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.db import make_sessionmaker
from belowline.queues.models import QueueItem
from belowline.reports import service
from tests.cast import Cast, post


def test_simultaneous_first_reports_share_one_item(
    client: TestClient, cast: Cast, engine: Engine, clock: FrozenClock, session: Session
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race is PostgreSQL's")
    comment_id = post(client, cast, cast.author, "A comment two readers report at once.")
    sessions = make_sessionmaker(engine)
    first, second = sessions(), sessions()
    # The first reader's report is written, not yet committed, when the second arrives.
    first_reporter = first.merge(cast.reader, load=True)
    service.report_comment(
        first, comment_id=comment_id, reporter=first_reporter, reason="abusive", detail=None,
        now=clock(),
    )  # fmt: skip
    errors: list[BaseException] = []

    def second_report() -> None:
        try:
            reporter = second.merge(cast.reader2, load=True)
            service.report_comment(
                second, comment_id=comment_id, reporter=reporter, reason="abusive", detail=None,
                now=clock(),
            )  # fmt: skip
            second.commit()
        except BaseException as exc:  # the test reports it below
            errors.append(exc)
            second.rollback()

    racer = threading.Thread(target=second_report)
    racer.start()
    time.sleep(1.0)  # the second waits on the first's uncommitted queue item
    first.commit()
    racer.join(timeout=30)
    first.close()
    second.close()
    assert not errors, errors
    items = session.scalars(select(QueueItem).where(QueueItem.comment_id == comment_id)).all()
    assert len(items) == 1 and items[0].report_count == 2
