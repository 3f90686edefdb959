"""Row ids as bounded integers: a value past the columns' range is refused at the edge (422),
never handed to the database, where SQLite overflows and PostgreSQL aborts the transaction."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Every primary key is an INTEGER column: 32-bit signed on PostgreSQL. SQLite's are wider,
# but one rule for both databases keeps the answers the same everywhere.
MAX_ROW_ID = 2**31 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID, description="A row id (1 to 2^31-1).")]


def in_range(value: int) -> bool:
    """Whether `value` can name a row; for ids that arrive inside opaque tokens."""
    return 1 <= value <= MAX_ROW_ID
