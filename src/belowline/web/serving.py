"""uvicorn's HTTP protocol with a deadline for the request head: a client that opens a
connection and dribbles a header a byte at a time (slowloris) is cut off, not held forever.

uvicorn's own `timeout_keep_alive` only runs between requests and any byte resets it; the
time to send a whole request line and headers has no limit there, so it is added here.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_SECONDS = 10.0
ARRIVED = "belowline.arrived"  # scope key: `time.perf_counter()` when the request head was read


class OneSendTransport:
    """Holds what is written in one turn of the event loop and sends it together at the end
    of the turn: a response's head and body leave in one system call instead of two, which
    is most of the cost of a small cached answer."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, []
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = []
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """Close a connection whose request head is not complete within the deadline."""

    header_timeout: float = HEADER_TIMEOUT_SECONDS
    _deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(OneSendTransport(transport, self.loop))  # type: ignore[arg-type]
        self._arm()  # a connection that never sends a byte is also cut off

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        self.scope[ARRIVED] = time.perf_counter()  # type: ignore[literal-required]
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle between requests is the keep-alive timeout's job; a new head re-arms.
        self._disarm()
