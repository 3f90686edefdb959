"""Delivering one webhook message: sign the body, POST it with a timeout, log what came back.

Runs in the outbox worker, never inside a request. One `httpx.AsyncClient` per event loop is
shared by every delivery (connection reuse); each request has its own timeout, redirects are
not followed, and the receiver's host is resolved and checked again before each attempt; the
connection goes to the address checked (`urls.pin_delivery`), never to a second lookup.
Raising asks the outbox for a retry with backoff.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Any

import anyio
from sqlalchemy.orm import Session, sessionmaker

from belowline.clock import Clock
from belowline.metrics.registry import WEBHOOK_DELIVERIES
from belowline.outbox.service import Claimed
from belowline.webhooks import service as webhooks
from belowline.webhooks import urls

if TYPE_CHECKING:
    import httpx

EXCERPT = 500
SIGNATURE_HEADER = "X-Belowline-Signature"


class DeliveryFailed(Exception):
    """The receiver did not accept the message (non-2xx, timeout, refused address)."""


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: the same on every retry of a message."""
    envelope = {k: payload[k] for k in ("event", "id", "created_at", "data")}
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """The outbox handler for kind "webhook"."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock,
        timeout: float,
        allow_private: bool,
        resolve: urls.Resolver = anyio.getaddrinfo,
    ) -> None:
        self.sessions = sessions
        self.resolve = resolve
        self.clock = clock
        self.timeout = timeout
        self.allow_private = allow_private
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def client(self) -> httpx.AsyncClient:
        """The shared client of the running event loop (tests run several loops in turn)."""
        import httpx

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(
                follow_redirects=False,
                timeout=httpx.Timeout(self.timeout),
                headers={"User-Agent": "Belowline-Webhooks/1"},
            )
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _target(self, webhook_id: int) -> tuple[str, str] | None:
        with self.sessions() as session:
            return webhooks.target(session, webhook_id=webhook_id)

    def _log(self, webhook_id: int, fields: dict[str, Any]) -> None:
        with self.sessions() as session:
            if webhooks.target(session, webhook_id=webhook_id) is None:
                return
            webhooks.log_attempt(session, webhook_id=webhook_id, **fields)
            session.commit()

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        pinned = await urls.pin_delivery(
            url, allow_private=self.allow_private, resolve=self.resolve
        )
        extensions = {"sni_hostname": pinned.sni_hostname} if pinned.sni_hostname else None
        async with self.client().stream(
            "POST",
            pinned.url,
            content=body,
            headers={**headers, "Host": pinned.host_header},
            timeout=self.timeout,
            extensions=extensions,
        ) as response:
            excerpt = b""
            async for chunk in response.aiter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT:
                    break
            return response.status_code, excerpt[:EXCERPT].decode("utf-8", "replace")

    async def deliver(self, message: Claimed) -> None:
        payload = message.payload
        webhook_id = int(payload["webhook_id"])
        found = await anyio.to_thread.run_sync(self._target, webhook_id)
        if found is None:
            return  # unsubscribed since: nothing to send
        url, secret = found
        body = body_bytes(payload)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(secret, body),
            "X-Belowline-Event": str(payload["event"]),
            "X-Belowline-Delivery": str(payload["id"]),
        }
        started = time.perf_counter()
        status: int | None = None
        excerpt: str | None = None
        error: str | None = None
        import httpx

        try:
            status, excerpt = await self._post(url, body, headers)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except urls.UnsafeAddress as exc:
            error = f"refused: {exc}"
        except httpx.TimeoutException:
            error = f"timeout after {self.timeout:g}s"
        except (httpx.HTTPError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        duration_ms = int((time.perf_counter() - started) * 1000)
        WEBHOOK_DELIVERIES.labels(outcome="ok" if error is None else "failed").inc()
        await anyio.to_thread.run_sync(
            self._log,
            webhook_id,
            {
                "outbox_id": message.id,
                "event": str(payload["event"]),
                "event_id": str(payload["id"]),
                "attempt": message.attempts + 1,
                "status_code": status,
                "ok": error is None,
                "error": error,
                "response_excerpt": excerpt,
                "duration_ms": duration_ms,
                "attempted_at": self.clock(),
            },
        )
        if error is not None:
            raise DeliveryFailed(error)
