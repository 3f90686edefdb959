"""Dependency aliases: the only place that reaches into app state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from belowline import events
from belowline.accounts import poster
from belowline.accounts.models import User
from belowline.accounts.tokens import decode_access_token
from belowline.clock import Clock
from belowline.errors import ErrorCode, NotAuthenticated
from belowline.live.bus import Bus, publish_events
from belowline.settings import Settings
from belowline.web.ratelimit import RateLimiter

# Dependencies that do no I/O are `async def`: FastAPI runs sync ones in the thread pool,
# a hop each; only the endpoint and what reads the database go there.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def session_gate(gates: dict[int, anyio.Semaphore], settings: Settings) -> anyio.Semaphore:
    """The worker's gate on sessions at once (the post fast path waits at the same one)."""
    # One per event loop (tests run apps in several); made inside the loop it serves.
    loop = id(asyncio.get_running_loop())
    gate = gates.get(loop)
    if gate is None:
        gate = gates[loop] = anyio.Semaphore(max(1, settings.request_sessions))
    return gate


def _session_gate(request: Request) -> anyio.Semaphore:
    return session_gate(request.app.state.session_gates, request.app.state.settings)


async def get_session(request: Request) -> AsyncIterator[Session]:
    # A request keeps its session's connection across thread hops: without this gate, requests
    # waiting in the event loop for a thread held every pooled connection while the threads
    # waited for one. Waiting here holds neither.
    async with _session_gate(request):
        # Opening a session does no I/O (it connects on first use); closing one that still
        # holds a connection rolls back, which is I/O and goes to a thread.
        session: Session = request.app.state.sessionmaker()
        try:
            yield session
        finally:
            events.discard_pending(session)
            if session.in_transaction():
                await anyio.to_thread.run_sync(session.close)
            else:
                session.close()


async def get_now(request: Request) -> datetime:
    clock: Clock = request.app.state.clock
    return clock()


async def get_bus(request: Request) -> Bus:
    bus: Bus = request.app.state.bus
    return bus


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbSession = Annotated[Session, Depends(get_session)]
Now = Annotated[datetime, Depends(get_now)]
BusDep = Annotated[Bus, Depends(get_bus)]


def commit(session: Session, bus: Bus) -> None:
    """Commit the request's work, then send the events it recorded."""
    session.commit()  # before_commit listeners (webhooks) still see the recorded events
    publish_events(bus, events.take_pending(session))


def _bearer(request: Request) -> str | None:
    return bearer_token(request.headers.get("authorization", ""))


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def get_optional_user(
    request: Request, session: DbSession, settings: SettingsDep, now: Now
) -> User | None:
    # Async, so an anonymous reader (most requests) costs no thread hop; a token's user is
    # looked up in a thread.
    token = _bearer(request)
    if token is None:
        return None
    return await anyio.to_thread.run_sync(token_user, session, token, settings, now)


def token_user(session: Session, token: str, settings: Settings, now: datetime) -> User:
    """The reader an access token names, or NotAuthenticated (the post fast path asks too)."""
    claims = decode_access_token(token, secret=settings.secret_key, now=now)
    # With the answers a post checks next (accepted terms, a pending warning): one statement.
    user = poster.load(session, user_id=claims.user_id)
    if user is None or user.site_id != claims.site_id or user.erased_at is not None:
        raise NotAuthenticated(
            "Your account no longer exists. Sign in again.", code=ErrorCode.INVALID_TOKEN
        )
    if user.deactivated_at is not None:
        raise NotAuthenticated(
            "This account has been deactivated.", code=ErrorCode.ACCOUNT_DEACTIVATED
        )
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise NotAuthenticated("Sign in to do that.", code=ErrorCode.NOT_AUTHENTICATED)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limit(request: Request, limit: str, *keys: str) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit(limit, *keys)


__all__ = [
    "BusDep",
    "CurrentUser",
    "DbSession",
    "Now",
    "OptionalUser",
    "RateLimiter",
    "SettingsDep",
    "client_ip",
    "commit",
    "rate_limit",
    "session_gate",
    "token_user",
]
