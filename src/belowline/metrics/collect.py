"""Figures read from the database at scrape time: queue depth, oldest item, SLA breaches.

They are per site and queue, right whatever the number of workers, and recomputed at most
every `ttl` seconds so a tight scrape interval costs the database little.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.queues.models import QueueItem, QueueName, QueueStatus
from belowline.staffing import sla
from belowline.stories.models import Site


def queue_figures(session: Session, *, now: datetime) -> bytes:
    """One exposition block of queue gauges for every site."""
    registry = CollectorRegistry()
    depth = Gauge(
        "belowline_queue_depth", "Open items per queue.", ["site", "queue"], registry=registry
    )
    oldest = Gauge(
        "belowline_queue_oldest_seconds",
        "Age of the oldest open item per queue (its SLA clock), in seconds.",
        ["site", "queue"],
        registry=registry,
    )
    breaches = Gauge(
        "belowline_sla_breaches",
        "Open items past their SLA target, per queue.",
        ["site", "queue"],
        registry=registry,
    )
    items = session.scalars(select(QueueItem).where(QueueItem.status == QueueStatus.OPEN)).all()
    # (site, queue) -> [depth, oldest, breached]; every queue of every site, zero when empty.
    counts: dict[tuple[str, str], list[int]] = {
        (site_id, q.value): [0, 0, 0]
        for site_id in session.scalars(select(Site.id))
        for q in QueueName
    }
    for item in items:
        clock = sla.clock(session, item=item, now=now)
        row = counts.setdefault((item.site_id, str(item.queue)), [0, 0, 0])
        row[0] += 1
        row[1] = max(row[1], int(clock["waiting_seconds"]))
        row[2] += 1 if clock["breached"] else 0
    for key, (n, age, late) in counts.items():
        depth.labels(*key).set(n)
        oldest.labels(*key).set(age)
        breaches.labels(*key).set(late)
    return generate_latest(registry)


class CachedFigures:
    """The last queue block, reused for `ttl` seconds."""

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._blocks: dict[int, tuple[float, bytes]] = {}

    def get(self, database: object, compute: Callable[[], bytes]) -> bytes:
        """The block for this database (one per engine), recomputed when older than ttl."""
        now = time.monotonic()
        cached = self._blocks.get(id(database))
        if cached is None or now - cached[0] >= self.ttl:
            cached = (now, compute())
            self._blocks[id(database)] = cached
        return cached[1]
