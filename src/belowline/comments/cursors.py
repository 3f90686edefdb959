"""Opaque keyset cursors: the sort key of the last item seen, never an offset."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson

from belowline.errors import ErrorCode, InvalidInput


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


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Return (sort key, id) or raise `invalid_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if data["s"] != sort or not isinstance(data["i"], int):
            raise ValueError("cursor from another listing")
        key = data["k"]
        if sort in (Sort.NEWEST, Sort.OLDEST, Sort.FEATURED, "replies_of"):
            key = datetime.fromisoformat(key)
            if key.tzinfo is None:
                raise ValueError("naive time")
        elif not isinstance(key, int):
            raise ValueError("bad key")
        return key, data["i"]
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput(
            "That page cursor is not valid for this listing. Start again from the first page.",
            code=ErrorCode.INVALID_CURSOR,
        ) from exc
