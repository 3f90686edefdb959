"""One place turns errors into the contract's JSON shape (or an HTML fragment for htmx)."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from belowline.errors import BelowlineError, ErrorCode
from belowline.i18n.errors import error_locale, translate

log = logging.getLogger("belowline.errors")
DATABASE_RETRY_AFTER = 5  # seconds: a restarting PostgreSQL is usually back within a few


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: list[dict[str, str]] | None = None


class ErrorEnvelope(BaseModel):
    """What every error answers, so the OpenAPI document says it too."""

    error: ErrorBody


_ENVELOPE = {"model": ErrorEnvelope}
# Declared on every operation: the statuses any route may answer with the envelope.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {**_ENVELOPE, "description": "Malformed request (invalid JSON)"},
    401: {**_ENVELOPE, "description": "Not signed in, or the token was not accepted"},
    403: {**_ENVELOPE, "description": "Not allowed"},
    404: {**_ENVELOPE, "description": "Not found"},
    409: {**_ENVELOPE, "description": "Conflict with the current state"},
    413: {**_ENVELOPE, "description": "Body too large"},
    415: {**_ENVELOPE, "description": "Body is not JSON"},
    422: {**_ENVELOPE, "description": "Validation failed"},
    429: {**_ENVELOPE, "description": "Rate limited (see Retry-After)"},
    500: {**_ENVELOPE, "description": "Unexpected failure (carries a request id)"},
    503: {
        **_ENVELOPE,
        "description": "Busy, or the database is unreachable; try again (see Retry-After)",
    },
}

_HTTP_CODES = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    429: ErrorCode.RATE_LIMITED,
}


def error_response(
    status: int, code: str, message: str, request: Request | None = None, **extra: Any
) -> Response:
    """The envelope; `message` in the caller's Accept-Language (the code never changes)."""
    locale = error_locale(request.headers.get("accept-language") if request is not None else None)
    message = translate(message, code=code, locale=locale)
    language = {"Content-Language": locale, "Vary": "Accept-Language"}
    if request is not None and request.headers.get("hx-request"):
        from html import escape

        return HTMLResponse(
            f'<div class="flash flash-error" role="alert" data-code="{escape(code)}">'
            f"{escape(message)}</div>",
            status_code=status,
            headers={"HX-Reswap": "none", "HX-Trigger": "belowline-error", **language},
        )
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra)
    headers = {
        **language,
        **({"Retry-After": str(extra.get("retry_after", 60))} if status == 429 else {}),
    }
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in ("body",)) or "body"


async def _belowline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BelowlineError)  # noqa: S101 - registered for this type only
    return error_response(exc.status_code, exc.code, exc.message, request, **exc.data)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(
            400, ErrorCode.INVALID_JSON, "The request body is not valid JSON.", request
        )
    fields = [
        {"field": _field_path(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
        for e in errors
    ]
    first = fields[0] if fields else {"field": "body", "message": "invalid"}
    return error_response(
        422,
        ErrorCode.VALIDATION_ERROR,
        f"Check the field '{first['field']}': {first['message']}.",
        request,
        fields=fields,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.INVALID_REQUEST)
    message = exc.detail if isinstance(exc.detail, str) else "The request was not accepted."
    if exc.status_code == 404:
        message = "Nothing here: check the address."
    elif exc.status_code == 405:
        message = "That method is not allowed on this address."
    response = error_response(exc.status_code, code, message, request)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:
        # Every method some route takes at this path (RFC 9110 §15.5.6), not just the first's.
        allowed = _methods_at(request) or [(exc.headers or {}).get("Allow", "")]
        response.headers["Allow"] = ", ".join(allowed)
    return response


_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _methods_at(request: Request) -> list[str]:
    """The methods some route fully matches at this request's path."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


def database_unavailable(exc: BaseException) -> bool:
    """A failure to reach the database (refused, dropped, shut down, pool exhausted), not a bug."""
    if isinstance(exc, SqlTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


class _OutageLog:
    """One warning when the database becomes unreachable, then at most one a minute."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self._last = -every

    def note(self, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            log.warning("database unavailable; answering 503: %s", str(exc).splitlines()[0])


_outages = _OutageLog()


def database_error_response(exc: BaseException, request: Request | None = None) -> Response:
    """503 with Retry-After: SQLite's writer or the pool stayed busy, or the database is away."""
    locked = isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()
    if locked or isinstance(exc, SqlTimeout):  # every pooled connection stayed in use
        response = error_response(
            503,
            ErrorCode.BUSY,
            "Too many changes are arriving at once. Nothing was saved; try again in a moment.",
            request,
        )
        response.headers["Retry-After"] = "2"
        return response
    _outages.note(exc)
    response = error_response(
        503,
        ErrorCode.DATABASE_UNAVAILABLE,
        "The service cannot reach its database just now. Try again in a few seconds.",
        request,
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


async def _database_error(request: Request, exc: Exception) -> Response:
    if database_unavailable(exc):
        return database_error_response(exc, request)
    return await _unexpected(request, exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    """Any other failure: the contract's envelope and a request id that finds the traceback."""
    if database_unavailable(exc):  # raised in a middleware, outside the routes' handlers
        return database_error_response(exc, request)
    request_id = uuid.uuid4().hex
    log.error(
        "unexpected error %s on %s %s",
        request_id,
        request.method,
        request.url.path,
        exc_info=exc,
    )
    response = error_response(
        500,
        ErrorCode.INTERNAL_ERROR,
        f"Something went wrong on our side (reference {request_id}). Nothing more was saved.",
        request,
        request_id=request_id,
    )
    response.headers["X-Request-Id"] = request_id
    return response


async def render(request: Request, exc: Exception) -> Response:
    """What the installed handlers answer for `exc` (the post fast path renders its own so)."""
    if isinstance(exc, BelowlineError):
        return await _belowline_error(request, exc)
    if isinstance(exc, DBAPIError | SqlTimeout):  # OperationalError, InterfaceError among them
        return await _database_error(request, exc)
    return await _unexpected(request, exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(BelowlineError, _belowline_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for database_error in (OperationalError, InterfaceError, DBAPIError, SqlTimeout):
        app.add_exception_handler(database_error, _database_error)
    app.add_exception_handler(Exception, _unexpected)
