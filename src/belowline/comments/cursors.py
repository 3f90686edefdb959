"""Opaque keyset cursors: the sort key of the last item seen, never an offset."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson

from belowline.errors import ErrorCode, InvalidInput
from belowline.ids import MAX_ROW_ID, in_range


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    REACTIONS = "reactions"
    REPLIES = "replies"
    FEATURED = "featured"  # the newsroom's featured comments only, newest first


def encode_cursor(sort: str, key: Any, comment_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    raw = orjson.dumps({"s": sort, "k": key, "i": comment_id})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Return (sort key, id) or raise `invalid_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        last_id = data["i"]
        if data["s"] != sort or not _is_int(last_id) or not in_range(last_id):
            raise ValueError("cursor from another listing")
        key = data["k"]
        if sort in (Sort.NEWEST, Sort.OLDEST, Sort.FEATURED, "replies_of"):
            key = datetime.fromisoformat(key)
            if key.tzinfo is None:
                raise ValueError("naive time")
            key = key.astimezone(UTC)  # OverflowError for year 9999 with a negative offset
        elif not _is_int(key) or not 0 <= key <= MAX_ROW_ID:
            raise ValueError("bad key")  # counts are INTEGER columns too
        return key, last_id
    except (
        ValueError,
        KeyError,
        TypeError,
        OverflowError,
        binascii.Error,
        orjson.JSONDecodeError,
    ) as exc:
        raise InvalidInput(
            "That page cursor is not valid for this listing. Start again from the first page.",
            code=ErrorCode.INVALID_CURSOR,
        ) from exc
