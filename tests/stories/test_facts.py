"""Per-process site facts: a change made by another process is seen by the next post here."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.stories import facts
from belowline.stories.models import Site
from tests.factories import TEST_SECRET, auth, make_user, make_world

URL = "/api/v1/sites/gazette/stories/story-1/comments"

# Run in a separate interpreter: its own engine, caches and ORM events, as another worker.
CHANGE = """
import sys
from datetime import UTC, datetime
from belowline.db import make_engine, make_sessionmaker
from belowline.rules import service as rules
from belowline.sanctions import service as sanctions
from belowline.stories.models import Site

engine = make_engine(sys.argv[1])
session = make_sessionmaker(engine)()
now = datetime.now(UTC)
what = sys.argv[2]
if what == "rules":
    rules.publish_rules(session, site_id="gazette", intro_md="New", now=now,
                        rules=[rules.RuleText("respect", "Respect", "Be kind.")])
elif what == "warn":
    sanctions.impose(session, actor=None, user_id=int(sys.argv[3]), now=now,
                     request=sanctions.SanctionRequest(kind="warn", rule_id="respect"))
elif what == "length":
    session.get(Site, "gazette").max_comment_length = 12  # as an admin's change through the ORM
session.commit()
engine.dispose()
"""


def _in_another_process(engine: Engine, *args: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHANGE), url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _post(client: TestClient, headers: dict[str, str], body: str) -> tuple[int, str]:
    r = client.post(URL, json={"body": body}, headers=headers)
    code = r.json().get("error", {}).get("code", "") if r.status_code >= 400 else ""
    return r.status_code, code


def test_changes_in_another_process_reach_this_process_cached_facts(
    client: TestClient, engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    session.commit()
    headers = auth(user, clock(), TEST_SECRET)
    assert _post(client, headers, "First, and the facts are now kept.") == (201, "")
    assert _post(client, headers, "Second, from the kept facts.") == (201, "")

    _in_another_process(engine, "length")  # the site's row
    assert _post(client, headers, "Longer than twelve characters.") == (422, "invalid_body")
    assert _post(client, headers, "Short one.") == (201, "")

    _in_another_process(engine, "warn", str(user.id))  # a warning
    assert _post(client, headers, "Warned?") == (403, "warning_not_acknowledged")

    other = make_user(session, world.site, clock())
    session.commit()
    other_headers = auth(other, clock(), TEST_SECRET)
    assert _post(client, other_headers, "Accepted.") == (201, "")
    _in_another_process(engine, "rules")  # new rules to accept
    assert _post(client, other_headers, "New rules?") == (403, "terms_not_accepted")


def test_the_version_moves_only_with_a_commit_and_a_rollback_keeps_the_old_facts(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    session.commit()
    before = facts.current(session, world.site.id)
    assert before is not None
    kept = before.version
    session.rollback()
    site = session.get(Site, world.site.id)
    assert site is not None
    site.max_comment_length = 99
    session.flush()
    inside = facts.current(session, world.site.id)
    assert inside is not None and inside.version[0] == kept[0] + 1
    session.rollback()  # nothing committed: the stored counter and the kept facts stay
    assert session.scalar(select(Site.facts_version).where(Site.id == world.site.id)) == kept[0]
    again = facts.current(session, world.site.id)
    assert again is not None and again.version == kept
