"""The process's counters and histograms (prometheus-client's default registry).

Several workers: each process counts its own requests. Set `PROMETHEUS_MULTIPROC_DIR` to an
empty directory before starting uvicorn and /metrics sums every worker's files (the client's
multiprocess mode; the live-connections gauge is summed over live processes). Queue depth, the
oldest item and SLA breaches are read from the database at scrape time, so they are right
however many workers there are.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "belowline_http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "belowline_http_request_duration_seconds",
    "Time to answer, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POSTS = Counter(
    "belowline_comments_posted_total",
    "Comments posted, by the status they got (published or held).",
    ["site", "status"],
)
REPORTS = Counter("belowline_reports_total", "Readers' reports filed.", ["site"])
DECISIONS = Counter(
    "belowline_decisions_total", "Moderation decisions, by action.", ["site", "action"]
)
HOLDS = Counter(
    "belowline_holds_total", "Comments entering the Held or Flagged queue.", ["site", "queue"]
)
WEBHOOK_DELIVERIES = Counter(
    "belowline_webhook_deliveries_total", "Webhook delivery attempts, by outcome.", ["outcome"]
)
SSE_CONNECTIONS = Gauge(
    "belowline_sse_connections",
    "Live (server-sent events) connections open now.",
    multiprocess_mode="livesum",
)
