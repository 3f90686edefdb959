"""Publishers' JWKS documents, fetched through one shared HTTP client and cached per URL.

A token naming an unknown `kid` may trigger one refetch, and only once per minimum interval
per URL: otherwise anyone could make Belowline fetch a publisher's keys on every sign-in."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)
_MAX_BYTES = 256 * 1024


class JwksUnavailable(Exception):
    """The keys could not be fetched or did not contain the token's key."""


@dataclass
class _Entry:
    keys: list[dict[str, Any]] = field(default_factory=list)
    fetched_at: float = float("-inf")
    expires_at: float = float("-inf")


class JwksCache:
    """Keys per JWKS URL, kept for the document's max-age (bounded), refetched sparingly."""

    def __init__(
        self,
        *,
        default_ttl: float = 300.0,
        min_ttl: float = 60.0,
        max_ttl: float = 86_400.0,
        min_refetch_interval: float = 60.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default_ttl = default_ttl
        self.min_ttl = min_ttl
        self.max_ttl = max_ttl
        self.min_refetch_interval = min_refetch_interval
        self.clock = clock
        self.timeout = timeout
        self._client: httpx.Client | None = None  # made on the first fetch: httpx loads lazily
        self.fetches = 0
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        """Made on first use: most sites never fetch a JWKS, and a client costs a TLS context."""
        if self._client is None:
            import httpx  # loaded by the first fetch: most workers never need it

            self._client = httpx.Client(timeout=self.timeout, follow_redirects=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def key_for(self, url: str, *, kid: str | None, alg: str) -> Any:
        """The verification key for (kid, alg) from the document at `url`."""
        with self._lock:
            entry = self._entries.setdefault(url, _Entry())
            now = self.clock()
            found = _find(entry.keys, kid)
            stale = now >= entry.expires_at
            may_refetch = now - entry.fetched_at >= self.min_refetch_interval
            if stale or (found is None and may_refetch):
                try:
                    self._fetch(url, entry, now)
                except JwksUnavailable:
                    if found is None or (stale and not entry.keys):
                        raise
                found = _find(entry.keys, kid)
        if found is None:
            raise JwksUnavailable("no key for this token")
        from jwt import PyJWK, PyJWKError  # loads `cryptography`: only for JWKS sign-in

        try:
            return PyJWK.from_dict(found, algorithm=alg).key
        except PyJWKError as exc:
            raise JwksUnavailable(str(exc)) from exc

    def _fetch(self, url: str, entry: _Entry, now: float) -> None:
        import httpx

        entry.fetched_at = now
        self.fetches += 1
        try:
            response = self.client.get(url, headers={"accept": "application/json"})
            response.raise_for_status()
            if len(response.content) > _MAX_BYTES:
                raise JwksUnavailable("JWKS document too large")
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(str(exc)) from exc
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, list):
            raise JwksUnavailable("not a JWKS document")
        entry.keys = [k for k in keys if isinstance(k, dict)]
        entry.expires_at = now + self._ttl(response.headers.get("cache-control", ""))

    def _ttl(self, cache_control: str) -> float:
        found = _MAX_AGE.search(cache_control)
        ttl = float(found.group(1)) if found else self.default_ttl
        return min(max(ttl, self.min_ttl), self.max_ttl)


def _find(keys: list[dict[str, Any]], kid: str | None) -> dict[str, Any] | None:
    for key in keys:
        if kid is None or key.get("kid") == kid:
            return key
    return None
