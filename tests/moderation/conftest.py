from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from tests.moderation.cast import Cast, make_cast


@pytest.fixture
def cast(session: Session, clock: FrozenClock) -> Cast:
    return make_cast(session, clock)
