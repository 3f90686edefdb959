"""Command line: demo, serve, db, sites, users, triage, import, export, privacy, mail, qa."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from belowline.accounts.models import Role
from belowline.cli_sites import sites_app
from belowline.clock import system_clock
from belowline.db import command_session, make_engine
from belowline.importers.cli import register as register_import_export
from belowline.privacy.cli import mail_app, privacy_app
from belowline.qa.cli import qa_app
from belowline.settings import Settings

app = typer.Typer(
    help="Belowline: comments and post-moderation for news publishers.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Users of a site.", no_args_is_help=True)
triage_app = typer.Typer(help="Automated triage.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sites_app, name="sites")
app.add_typer(users_app, name="users")
app.add_typer(triage_app, name="triage")
register_import_export(app)
app.add_typer(privacy_app, name="privacy")
app.add_typer(mail_app, name="mail")
app.add_typer(qa_app, name="qa")
console = Console(stderr=True)


def _settings() -> Settings:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    from belowline import migrate

    settings = _settings()
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    console.print("[green]Database is up to date.[/green]")


def _raise_open_file_limit() -> None:
    """Each live reader holds a socket; the usual soft limit of 1,024 caps a worker near 1,000."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            return


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the API, embed and dashboard (the database must be migrated)."""
    import uvicorn

    from belowline import migrate
    from belowline.web.serving import HeaderDeadlineProtocol

    settings = _settings()
    engine = make_engine(settings.effective_database_url)
    if migrate.pending(engine):
        console.print(
            "[red]The database schema is not up to date.[/red] "
            "Run `belowline db upgrade` first, then start the server again."
        )
        raise typer.Exit(code=2)
    engine.dispose()
    _raise_open_file_limit()
    uvicorn.run(
        "belowline.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # never shown at warning level, yet its fields were built per request
        proxy_headers=True,
        timeout_graceful_shutdown=3,
        http=HeaderDeadlineProtocol,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the comment service.")] = 8000,
    site_port: Annotated[int, typer.Option(help="Port of the demo newspaper.")] = 8001,
    reset: Annotated[bool, typer.Option(help="Start from a fresh demo database.")] = False,
) -> None:
    """Migrate and seed a demo on SQLite, then serve it with a demo newspaper beside it."""
    from belowline.demo.runner import run_demo

    run_demo(_settings(), host=host, port=port, site_port=site_port, reset=reset)


@users_app.command("create")
def users_create(
    site: Annotated[str, typer.Option(help="Site id.")],
    email: Annotated[str, typer.Option(help="Email (the login).")],
    password: Annotated[str, typer.Option(help="Password (8+ characters).")],
    role: Annotated[Role, typer.Option(help="commenter, moderator or admin.")] = Role.COMMENTER,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    subscriber: Annotated[bool, typer.Option(help="Entitled to post.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a local account."""
    from belowline.accounts import service as accounts_service
    from belowline.stories import service as stories_service

    settings = _settings()
    with command_session(settings.effective_database_url) as session:
        stories_service.get_site(session, site_id=site)
        user = accounts_service.create_user(
            session,
            site_id=site,
            email=email,
            display_name=name or email.split("@")[0],
            password=password,
            role=role,
            subscriber=subscriber,
            now=system_clock(),
        )
        session.commit()
    if as_json:
        print(
            json.dumps(
                {
                    "id": user.id,
                    "site_id": site,
                    "email": user.email,
                    "role": user.role,
                    "subscriber": user.is_subscriber,
                }
            )
        )
    else:
        print(user.id)


@triage_app.command("score")
def triage_score(
    site: Annotated[
        str | None,
        typer.Option(help="Score as a post on this site would be: its word lists and model."),
    ] = None,
    batch: Annotated[
        int, typer.Option(min=1, help="Write output every N lines (more for files).")
    ] = 1,
) -> None:
    """Score JSON lines from stdin; write one JSON line of scores per input line."""
    from belowline.policy.scoring import default_scorer, site_scorer
    from belowline.triage.pipeline import score_lines

    scorer = default_scorer()
    if site:
        from belowline.stories import service as stories_service

        settings = _settings()
        with command_session(settings.effective_database_url) as session:
            scorer = site_scorer(session, stories_service.get_site(session, site_id=site))

    def score(text: str, article: str | None, parent: str | None) -> dict[str, object]:
        return scorer.score(text, article=article, parent=parent).to_json()

    score_lines(sys.stdin, sys.stdout, score=score, batch=batch)


@triage_app.command("train")
def triage_train(
    site: Annotated[str, typer.Option(help="Site whose moderators' decisions to learn from.")],
) -> None:
    """Retrain the site's abuse model on its decisions; adopt it only if it scores better."""
    from belowline.learning.service import train

    settings = _settings()
    with command_session(settings.effective_database_url) as session:
        run = train(session, site_id=site, now=system_clock())
        session.commit()
    print(json.dumps({"run": run.id, "adopted": run.adopted, **run.figures}))


def main() -> None:  # pragma: no cover - console entry
    from belowline.errors import BelowlineError

    try:
        app()
    except BelowlineError as exc:
        console.print(f"[red]{exc.message}[/red] ({exc.code})")
        sys.exit(1)
