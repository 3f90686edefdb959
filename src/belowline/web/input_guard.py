"""One rule for NUL on every database: a request that carries a NUL character anywhere (path,
query, JSON or form body) is refused with a 422 before any route or database sees it.

PostgreSQL cannot store NUL in text and SQLite can, so without this the same request would
answer differently per database; no legitimate comment, id or email contains one."""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from belowline.web.middleware import read_body, replay, send_error

# A JSON `\u0000` escape whose backslash is not itself escaped (an even run before it).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_MESSAGE = "Text may not contain NUL characters."


def has_json_nul(body: bytes) -> bool:
    """A JSON body that carries NUL, raw or escaped (the post fast path asks the same)."""
    return b"\x00" in body or _JSON_NUL.search(body) is not None


def _has_nul_urlencoded(raw: bytes) -> bool:
    return b"\x00" in raw or b"\x00" in unquote_to_bytes(raw)


class NulGuard:
    """Refuse NUL in the address and in JSON or form bodies, for every route and database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if "\x00" in path or _has_nul_urlencoded(scope.get("query_string", b"")):
            await send_error(scope, send, 422, "validation_error", _MESSAGE)
            return
        headers = dict(scope.get("headers", []))
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if scope["type"] != "http" or ctype not in (
            b"application/json",
            b"application/x-www-form-urlencoded",
        ):
            await self.app(scope, receive, send)
            return
        # Bodies are bounded by BodyGuard (outside this one), so reading them whole is cheap.
        messages = await read_body(receive)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        bad = has_json_nul(body) if ctype == b"application/json" else _has_nul_urlencoded(body)
        if bad:
            await send_error(scope, send, 422, "validation_error", _MESSAGE)
            return
        await self.app(scope, replay(messages, receive), send)
