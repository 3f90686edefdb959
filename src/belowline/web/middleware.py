"""Pure ASGI middleware: request size and content-type guards, CORS for allowed origins,
security headers. Pure ASGI keeps SSE streaming and per-request cost low."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from belowline.accounts import hs256
from belowline.i18n.errors import error_locale, translate

_WRITE_METHODS = {b"POST", b"PUT", b"PATCH"}


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    message: str,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """The contract's error envelope, its message in the caller's Accept-Language."""
    accept = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
    locale = error_locale(accept)
    message = translate(message, code=code, locale=locale)
    body = orjson.dumps({"error": {"code": code, "message": message}})
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"content-language", locale.encode()),
        (b"vary", b"Accept-Language"),
    ]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": headers + (extra_headers or []),
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    """Reject oversized bodies and non-JSON API writes before any route runs."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"].encode() not in _WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await send_error(
                scope,
                send,
                413,
                "payload_too_large",
                f"Requests may be at most {self.max_bytes} bytes.",
            )
            return
        path: str = scope["path"]
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        bodyless = length in (None, b"0") and not ctype
        if path.startswith("/api/") and ctype != b"application/json" and not bodyless:
            await send_error(
                scope,
                send,
                415,
                "unsupported_media_type",
                "Send the request body as JSON (Content-Type: application/json).",
            )
            return
        if length is None:
            # Chunked: read it whole here, so an oversized body is a 413 rather than a
            # parse failure inside the framework (it would answer 400).
            try:
                messages = await read_body(receive, self.max_bytes)
            except _TooLarge:
                await send_error(
                    scope,
                    send,
                    413,
                    "payload_too_large",
                    f"Requests may be at most {self.max_bytes} bytes.",
                )
                return
            await self.app(scope, replay(messages, receive), send)
            return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> list[Message]:
    """Every message of the request body, refusing past `limit` bytes."""
    messages: list[Message] = []
    received = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        received += len(message.get("body", b""))
        if limit is not None and received > limit:
            raise _TooLarge
        if not message.get("more_body", False):
            return messages


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives back the buffered messages, then the live channel."""
    pending = list(messages)

    async def next_message() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return next_message


def site_of(path: str) -> str | None:
    """The site a `/api/v1/sites/{id}/…` path is about, if it names one."""
    prefix = "/api/v1/sites/"
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].split("/", 1)[0] or None


# Staff work (queues, decisions, invitations) is done in the dashboard on the instance's own
# origin, or from a server: no page on a publisher's site (third-party scripts and all) may
# drive it from a reader's browser, whatever token it holds.
STAFF_PATHS = ("/api/v1/moderation/", "/api/v1/invitations/")


def token_site(scope: Scope) -> str | None:
    """The site a bearer token says it is for (unverified: only to choose CORS headers; the
    route checks the token itself)."""
    auth = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = hs256.unverified_claims(token.strip())
    except hs256.TokenError:
        return None
    site = claims.get("site")
    return site if isinstance(site, str) else None


def cors_headers(origin: bytes) -> list[tuple[bytes, bytes]]:
    """What an answer to an allowed origin carries (the read fast path adds the same)."""
    return [
        (b"access-control-allow-origin", origin),
        (b"access-control-expose-headers", b"etag, retry-after"),
        (b"vary", b"Origin"),
    ]


class ApiCors:
    """CORS for the embed, no credentials (bearer tokens). A path that names a site answers
    only that site's origins. A reader path that names none (a comment by id, /me, sign-in)
    answers, with a token, only the token's site's origins; without one (a preflight, sign-in)
    any site's. Staff paths answer no other origin at all."""

    def __init__(self, app: ASGIApp, *, is_allowed: Callable[[str, str | None], bool]) -> None:
        self.app = app
        self.is_allowed = is_allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        origin = dict(scope["headers"]).get(b"origin")
        cors_path = path.startswith("/api/") or path == "/embed.js" or path.startswith("/static/")
        if not origin or not cors_path:
            await self.app(scope, receive, send)
            return
        if path == "/embed.js" or path.startswith("/static/"):
            allowed = True
        elif path.startswith(STAFF_PATHS):
            allowed = False
        else:
            site = site_of(path) or token_site(scope)
            allowed = self.is_allowed(origin.decode("latin-1"), site)
        if scope["method"] == "OPTIONS":
            if not allowed:
                await send_error(
                    scope,
                    send,
                    403,
                    "origin_not_allowed",
                    "This origin is not allowed to use the comments API.",
                )
                return
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        (b"access-control-allow-origin", origin),
                        (
                            b"access-control-allow-methods",
                            b"GET, POST, PUT, PATCH, DELETE, OPTIONS",
                        ),
                        (
                            b"access-control-allow-headers",
                            b"authorization, content-type, if-none-match, last-event-id",
                        ),
                        (b"access-control-max-age", b"600"),
                        (b"vary", b"Origin"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and allowed:
                headers = list(message.get("headers", [])) + cors_headers(origin)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cors)


# Pages: no inline script, nothing from another host (a route may send a stricter or wider one).
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_CREDENTIAL_HEADERS = (b"authorization", b"x-api-key")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_personal(scope: Scope, response_headers: list[tuple[bytes, bytes]]) -> bool:
    """An answer for one person: the request carried a credential (bearer token, API key,
    dashboard cookie), it changed something, or the answer sets a cookie."""
    if scope["method"] not in _SAFE_METHODS:
        return True
    request_headers = dict(scope["headers"])
    if any(h in request_headers for h in _CREDENTIAL_HEADERS):
        return True
    if b"belowline_dashboard=" in request_headers.get(b"cookie", b""):
        return True
    return any(k.lower() == b"set-cookie" for k, _ in response_headers)


def security_headers(names: set[bytes], hsts: bytes) -> list[tuple[bytes, bytes]]:
    """The strict defaults added to an answer whose own headers are `names` (lower case);
    the read fast path sends the same, computed once."""
    extra = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]
    if b"content-security-policy" not in names:
        extra.append((b"content-security-policy", PAGE_CSP.encode()))
    if b"x-frame-options" not in names:
        extra.append((b"x-frame-options", b"DENY"))
    if hsts:
        extra.append((b"strict-transport-security", hsts))
    return extra


def secured(
    scope: Scope, headers: list[tuple[bytes, bytes]], hsts: bytes
) -> list[tuple[bytes, bytes]]:
    """An answer's headers as SecurityHeaders sends them (the post fast path sends the same)."""
    if is_personal(scope, headers):
        headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
        headers.append((b"cache-control", b"private, no-store"))
    names = {k.lower() for k, _ in headers}
    return headers + security_headers(names, hsts)


def hsts_value(hsts_seconds: int) -> bytes:
    return f"max-age={hsts_seconds}; includeSubDomains".encode() if hsts_seconds else b""


class SecurityHeaders:
    """Strict defaults on every answer; pages get a CSP without inline script; personal
    answers are never stored by a browser or a shared cache; HSTS when configured."""

    def __init__(self, app: ASGIApp, *, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts = hsts_value(hsts_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = secured(scope, list(message.get("headers", [])), self.hsts)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_headers)
