"""A real SMTP server (aiosmtpd) on a free port, in its own thread, recording what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Inbox:
    """What the server answers to DATA (`reply`) and every message it accepted."""

    reply: str = "250 OK"
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        if self.reply.startswith("250"):
            raw = envelope.original_content or b""
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(raw))
            )
        return self.reply


class SmtpServer:
    """Starts on a socket bound to port 0, so parallel runs never collide."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self._server: Any = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def start() -> None:
            self._server = await self.loop.create_server(
                lambda: SMTP(self.inbox, hostname="smtp.test"), sock=self.sock
            )
            self._ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def start(self) -> SmtpServer:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def stop(self) -> None:
        async def close() -> None:
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
