"""GET /metrics: Prometheus text for loopback clients, or anyone with the metrics token."""

from __future__ import annotations

import hmac
import os

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from belowline.errors import ErrorCode, Forbidden
from belowline.metrics.collect import CachedFigures, queue_figures
from belowline.web.deps import DbSession, Now, SettingsDep, client_ip

router = APIRouter(include_in_schema=False)
_figures = CachedFigures()
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def _allowed(request: Request, token: str | None) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return True
    # A proxied request arrives from loopback too: only a direct local client is trusted.
    proxied = any(h in request.headers for h in PROXY_HEADERS)
    return not proxied and client_ip(request) in ("127.0.0.1", "::1", "testclient")


def _process_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@router.get("/metrics")
def metrics(request: Request, session: DbSession, settings: SettingsDep, now: Now) -> Response:
    """Requests, latencies, moderation counters, queue depth, SLA breaches, deliveries."""
    if not _allowed(request, settings.metrics_token):
        raise Forbidden(
            "Metrics are for local clients or the metrics token.", code=ErrorCode.FORBIDDEN
        )
    queues = _figures.get(session.get_bind(), lambda: queue_figures(session, now=now))
    return Response(_process_metrics() + queues, media_type=CONTENT_TYPE_LATEST)
