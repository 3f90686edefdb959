"""Where a webhook may point: http(s) to a public address, checked at registration and delivery.

A receiver's host is resolved and every address it names must be public (not loopback,
private, link-local, multicast, reserved or unspecified), so a webhook cannot be aimed at the
server's own network (SSRF). `BELOWLINE_WEBHOOK_ALLOW_PRIVATE_URLS=true` lifts the address
check for a newsroom whose receivers live on its own network (and for tests).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio

from belowline.errors import ErrorCode, InvalidInput

MAX_URL = 2000


Resolver = Callable[..., Awaitable[Sequence[tuple[Any, ...]]]]
"""`anyio.getaddrinfo`'s shape: (host, port, type=…) → getaddrinfo tuples."""


class UnsafeAddress(Exception):
    """The receiver's host resolves to an address a webhook may not reach."""


def check_shape(url: str) -> tuple[str, int]:
    """The URL's host and port, or a 422 naming what is wrong with it."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL:
        raise InvalidInput(
            f"The webhook URL must be 1 to {MAX_URL} characters.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(
            "The webhook URL is not a valid URL.", code=ErrorCode.VALIDATION_ERROR, field="url"
        ) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            "The webhook URL must start with http:// or https:// and name a host.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        )
    if parts.username or parts.password:
        raise InvalidInput(
            "The webhook URL may not carry a user name or password; sign with the secret.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        )
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def is_public(address: str) -> bool:
    """True for an address on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _addresses(infos: list[tuple[object, ...]]) -> list[str]:
    return [str(info[4][0]) for info in infos]  # type: ignore[index]


def _check_addresses(host: str, addresses: list[str]) -> None:
    if not addresses:
        raise UnsafeAddress(f"{host} resolves to no address")
    bad = [a for a in addresses if not is_public(a)]
    if bad:
        raise UnsafeAddress(f"{host} resolves to a non-public address ({bad[0]})")


def check_registration(url: str, *, allow_private: bool) -> None:
    """Refuse a URL that is malformed or (unless allowed) reaches a non-public address."""
    host, port = check_shape(url)
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InvalidInput(
            f"The webhook host {host} does not resolve.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        ) from exc
    try:
        _check_addresses(host, _addresses(list(infos)))
    except UnsafeAddress as exc:
        raise InvalidInput(
            "Webhooks may not point at loopback, private or link-local addresses.",
            code=ErrorCode.VALIDATION_ERROR,
            field="url",
        ) from exc


@dataclass(frozen=True)
class Pinned:
    """Where one delivery goes: the checked address, with the name kept for Host and TLS."""

    url: str  # the URL with its host replaced by the checked address
    host_header: str  # the Host header the receiver expects (name[:port])
    sni_hostname: str | None  # the name TLS must verify the certificate against (https)


async def pin_delivery(
    url: str, *, allow_private: bool, resolve: Resolver = anyio.getaddrinfo
) -> Pinned:
    """Resolve once just before delivering, check every address, and connect to a checked one.

    A name may have moved since registration (DNS rebinding): the answer checked here is the
    address connected to, so a second lookup can never swap in a private one.
    """
    host, port = check_shape(url)
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        addresses = [str(ip)]
    else:
        try:
            infos = await resolve(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UnsafeAddress(f"{host} does not resolve") from exc
        addresses = _addresses(list(infos))
    if not allow_private:
        _check_addresses(host, addresses)
    elif not addresses:
        raise UnsafeAddress(f"{host} resolves to no address")
    import httpx  # only the outbox worker delivers: serving never loads the HTTP client

    parsed = httpx.URL(url.strip())
    default_port = 443 if parsed.scheme == "https" else 80
    host_header = parsed.netloc.decode("ascii")
    address = addresses[0].split("%", 1)[0]
    return Pinned(
        url=str(parsed.copy_with(host=address, port=port if port != default_port else None)),
        host_header=host_header,
        sni_hostname=parsed.raw_host.decode("ascii")
        if parsed.scheme == "https" and ip is None
        else None,
    )
