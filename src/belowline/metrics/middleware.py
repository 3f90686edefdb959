"""Pure-ASGI request metrics labelled by route template (never the raw path: bounded labels)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from belowline.metrics import registry as m


class RequestMetrics:
    """Counts and times every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _template(scope)
            m.REQUESTS.labels(method=scope["method"], route=route, status=str(status)).inc()
            m.LATENCY.labels(method=scope["method"], route=route).observe(
                time.perf_counter() - started
            )


def _template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    # The read fast path answers before routing and names the route it stands in for.
    named = scope.get("belowline.route")
    if isinstance(named, str):
        return named
    return "/static" if str(scope.get("path", "")).startswith("/static/") else "unmatched"
