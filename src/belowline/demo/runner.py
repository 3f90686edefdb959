"""`belowline demo`: migrate, seed once, then serve the comment service and the newspaper."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
import socket
from collections.abc import Iterator
from datetime import datetime

import uvicorn
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import select

from belowline import migrate
from belowline.app import create_app
from belowline.clock import system_clock
from belowline.db import make_engine, make_sessionmaker
from belowline.demo import seed as demo_seed
from belowline.demo.content import ARTICLES
from belowline.demo.publisher import create_newspaper
from belowline.settings import DEV_SECRET, Settings
from belowline.stories.models import Site, Story
from belowline.webhooks.dispatch import WebhookDispatcher


class _Server(uvicorn.Server):
    """A server that leaves signals to the demo, which stops both servers together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _public_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104


def prepare(
    settings: Settings, *, host: str, site_port: int, reset: bool, console: Console
) -> tuple[str, dict[str, datetime]]:
    """Migrate and seed; returns the site's SSO secret and each story's publication time."""
    db_file = settings.data_dir / "belowline.db"
    if reset and settings.database_url is None:
        for suffix in ("", "-wal", "-shm"):
            db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
        (settings.data_dir / "gazette-subscriptions.json").unlink(missing_ok=True)
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    newspaper_url = f"http://{_public_host(host)}:{site_port}"
    origins = demo_seed.newspaper_origins(_public_host(host), site_port)
    sessions = make_sessionmaker(engine)
    WebhookDispatcher(system_clock).install(sessions)  # the day's events reach the webhook
    with sessions() as session:
        already = demo_seed.is_seeded(session)
        if already:
            demo_seed.configure_site(
                session,
                newspaper_url=newspaper_url,
                origins=origins,
                sso_secret=demo_seed.sso_secret_for(settings.secret_key),
                now=system_clock(),
            )
            console.print("Demo data already in place; use [bold]--reset[/bold] to start afresh.")
        else:
            with Progress(
                TextColumn("Seeding the demo"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=False,
            ) as progress:
                task = progress.add_task("seed", total=demo_seed.total_steps())
                demo_seed.seed(
                    session,
                    newspaper_url=newspaper_url,
                    origins=origins,
                    sso_secret=demo_seed.sso_secret_for(settings.secret_key),
                    now=system_clock(),
                    tick=lambda n: progress.advance(task, n),
                )
        session.commit()
        site = session.get(Site, demo_seed.SITE_ID)
        secret = (site.sso_secret if site else None) or demo_seed.sso_secret_for(
            settings.secret_key
        )
        rows = session.execute(
            select(Story.external_id, Story.created_at).where(Story.site_id == demo_seed.SITE_ID)
        ).all()
        published = {row.external_id: row.created_at for row in rows}
    engine.dispose()
    return secret, published


def demo_secret_key(settings: Settings) -> str:
    """The configured secret, or (for the dev default) a random one kept in the data directory."""
    if settings.secret_key != DEV_SECRET:
        return settings.secret_key
    path = settings.data_dir / "demo-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def print_welcome(console: Console, *, host: str, port: int, site_port: int) -> None:
    """The URLs and every demo login, as a newsroom would want them on screen."""
    h = _public_host(host)
    paper = f"http://{h}:{site_port}"
    service = f"http://{h}:{port}"
    hot = ARTICLES[0]
    lines = [
        f"Newspaper front page   {paper}/",
        f"An article             {paper}/news/{hot.slug}",
        f"Reader sign-in         {paper}/signin",
        f"Moderator dashboard    {service}/moderate",
        f"Community rules        {service}/sites/{demo_seed.SITE_ID}/rules",
        f"Comment service API    {service}/docs",
    ]
    console.print(
        Panel("\n".join(lines), title="The Demo Gazette is running", expand=False),
        soft_wrap=True,
    )
    table = Table(title="Demo logins (password for all: " + demo_seed.PASSWORD + ")")
    table.add_column("Email", no_wrap=True)
    table.add_column("Password", no_wrap=True)
    table.add_column("Who", no_wrap=True)
    table.add_column("Sign in at", no_wrap=True)
    plans = {"active": "subscriber", "lapsed": "lapsed subscriber", "none": "non-subscriber"}
    for r in demo_seed.READERS:
        table.add_row(r.email, r.password, plans[r.plan], "newspaper /signin")
    for email, _name, role in demo_seed.STAFF:
        table.add_row(email, demo_seed.PASSWORD, str(role), "/moderate")
    console.print(table)
    console.print("Press Ctrl+C to stop.")


def _require_free_ports(host: str, port: int, site_port: int) -> None:
    """Refuse, in one line, ports something else already listens on (not a traceback later)."""
    for number, option in ((port, "--port"), (site_port, "--site-port")):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                probe.bind((host, number))
            except OSError:
                raise SystemExit(
                    f"Port {number} on {host} is already in use: choose another with "
                    f"{option} (e.g. belowline demo --port 8100 --site-port 8101)."
                ) from None


def run_demo(settings: Settings, *, host: str, port: int, site_port: int, reset: bool) -> None:
    """Migrate, seed once, then serve Belowline on `port` and the newspaper on `site_port`."""
    console = Console(width=max(Console().width, 100))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    service_url = f"http://{_public_host(host)}:{port}"
    _require_free_ports(host, port, site_port)
    settings = settings.model_copy(
        update={
            "public_url": service_url,
            "secret_key": demo_secret_key(settings),
            "webhook_allow_private_urls": True,  # the demo newspaper's receiver is local
        }
    )
    secret, published = prepare(
        settings, host=host, site_port=site_port, reset=reset, console=console
    )
    service = create_app(settings)
    newspaper = create_newspaper(
        service_url=service_url,
        sso_secret=secret,
        secret_key=settings.secret_key,
        data_dir=settings.data_dir,
        published=published,
    )
    servers = [
        _Server(uvicorn.Config(service, host=host, port=port, log_level="warning")),
        _Server(uvicorn.Config(newspaper, host=host, port=site_port, log_level="warning")),
    ]

    def stop() -> None:
        for s in servers:
            s.should_exit = True

    async def serve_both() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
        tasks = [asyncio.create_task(s.serve()) for s in servers]
        while not all(s.started for s in servers):
            if any(t.done() for t in tasks):
                stop()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise SystemExit(f"Could not listen on {host}:{port} and {host}:{site_port}.")
            await asyncio.sleep(0.05)
        print_welcome(console, host=host, port=port, site_port=site_port)
        await asyncio.gather(*tasks)

    asyncio.run(serve_both())
    console.print("Stopped.")
