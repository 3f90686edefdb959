"""The poster's row read with its terms and warning answers: one statement, never stale."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from belowline.accounts import poster
from belowline.clock import FrozenClock
from belowline.rules import service as rules_service
from belowline.rules.models import TermsAcceptance
from belowline.sanctions import service as sanctions
from tests.factories import make_user, make_world


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_one_statement_answers_the_user_their_terms_and_their_warning(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    session.commit()
    fresh = sessionmaker(bind=engine)()
    with _statements(engine) as seen:
        loaded = poster.load(fresh, user_id=user.id)
        assert loaded is not None and loaded.id == user.id
        assert rules_service.accepted_version(fresh, user_id=user.id) == world.rules_version
        assert sanctions.pending_warning(fresh, user_id=user.id) is None
    assert len(seen) == 1, seen
    fresh.close()


def test_a_flush_of_the_sessions_own_acceptance_is_read_afresh(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    user = make_user(session, world.site, clock(), accept_rules=False)
    session.commit()
    fresh = sessionmaker(bind=engine)()
    poster.load(fresh, user_id=user.id)
    assert rules_service.accepted_version(fresh, user_id=user.id) is None
    fresh.add(
        TermsAcceptance(
            user_id=user.id, site_id=world.site.id, version=world.rules_version, accepted_at=clock()
        )
    )
    fresh.flush()
    assert rules_service.accepted_version(fresh, user_id=user.id) == world.rules_version
    fresh.rollback()
    fresh.close()


def test_a_warning_committed_by_another_session_is_seen_by_the_next_transaction(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    session.commit()
    reader = sessionmaker(bind=engine)()
    poster.load(reader, user_id=user.id)
    assert sanctions.pending_warning(reader, user_id=user.id) is None
    reader.commit()  # the transaction that read "no warning" is over

    other = sessionmaker(bind=engine)()
    warning = sanctions.impose(
        other,
        actor=None,
        user_id=user.id,
        now=clock(),
        request=sanctions.SanctionRequest(kind="warn", rule_id="respect"),
    )
    other.commit()
    found = sanctions.pending_warning(reader, user_id=user.id)
    assert found is not None and found.id == warning.id
    reader.close()
    other.close()


def test_an_unknown_user_is_none(engine: Engine, session: Session, clock: FrozenClock) -> None:
    make_world(session, clock())
    session.commit()
    assert poster.load(session, user_id=987654) is None
    assert poster.prefetched(session, user_id=987654, name="accepted_terms") == (False, None)
