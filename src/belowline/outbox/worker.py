"""The background worker that drains the outbox: one loop per process, outside every request.

Handlers are registered per message kind in `create_app` (email, webhooks …). A handler is an
async function of the claimed message; it raises to ask for a retry. Database work runs in a
thread so the event loop keeps serving requests while a batch is claimed or recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

import anyio
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from belowline.clock import Clock
from belowline.outbox import service as outbox
from belowline.outbox.service import Claimed, GiveUp

log = logging.getLogger("belowline.outbox")

Handler = Callable[[Claimed], Awaitable[None]]


class OutboxWorker:
    """Claims due messages, hands each to its kind's handler, records the outcome."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        handlers: Mapping[str, Handler],
        *,
        clock: Clock,
        interval: float = 1.0,
        batch: int = 20,
    ) -> None:
        self.sessions = sessions
        self.handlers = dict(handlers)
        self.clock = clock
        self.interval = interval
        self.batch = batch

    def _claim(self) -> list[Claimed]:
        with self.sessions() as session:
            claimed = outbox.claim_due(
                session, now=self.clock(), kinds=tuple(self.handlers), limit=self.batch
            )
            session.commit()
            return claimed

    def _finish(self, message: Claimed, error: str | None, final: bool = False) -> None:
        with self.sessions() as session:
            if error is None:
                outbox.mark_sent(session, message_id=message.id, now=self.clock())
            else:
                retried = outbox.mark_failed(
                    session, message_id=message.id, error=error, now=self.clock(), final=final
                )
                log.warning(
                    "outbox %s #%s failed (%s): %s",
                    message.kind,
                    message.id,
                    "will retry" if retried else "giving up",
                    error,
                )
            session.commit()

    async def run_once(self) -> int:
        """Deliver what is due now; the number of messages attempted."""
        if not self.handlers:
            return 0
        claimed = await anyio.to_thread.run_sync(self._claim)
        for message in claimed:
            error: str | None = None
            final = False
            try:
                await self.handlers[message.kind](message)
            except GiveUp as exc:  # a permanent refusal: record it, never try again
                error, final = f"GiveUp: {exc}", True
            except Exception as exc:  # any other failure is a retry, never a crash of the loop
                error = f"{type(exc).__name__}: {exc}"
            await anyio.to_thread.run_sync(self._finish, message, error, final)
        return len(claimed)

    async def run_forever(self) -> None:
        """Drain the outbox until cancelled; a failing round is logged and the loop goes on."""
        unreachable = False
        while True:
            try:
                attempted = await self.run_once()
                if unreachable:
                    log.warning("outbox: the database is back; draining again")
                unreachable = False
            except (OperationalError, InterfaceError, PoolTimeout) as exc:
                # The database is away (or busy): say so once, not a traceback every round.
                if not unreachable:
                    log.warning("outbox: cannot reach the database (%s)", str(exc).splitlines()[0])
                unreachable = True
                attempted = 0
            except Exception:
                log.exception("outbox round failed")
                attempted = 0
            if attempted < self.batch:
                await anyio.sleep(self.interval)
