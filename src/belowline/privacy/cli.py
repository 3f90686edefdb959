"""`belowline privacy export|erase|retention` and `belowline mail digest`: data requests by email
and the periodic jobs, for operators and cron."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.clock import system_clock
from belowline.db import command_session
from belowline.settings import Settings

privacy_app = typer.Typer(help="Personal data: data requests and retention.", no_args_is_help=True)
mail_app = typer.Typer(help="Email.", no_args_is_help=True)


def _session() -> AbstractContextManager[Session]:
    return command_session(Settings().effective_database_url)


def _person(session: Session, site: str, email: str) -> User:
    user = session.scalar(
        select(User).where(User.site_id == site, func.lower(User.email) == email.strip().lower())
    )
    if user is None:
        typer.echo(f"Nobody on {site} has the address {email}.", err=True)
        raise typer.Exit(1)
    return user


@privacy_app.command("export")
def export(
    site: Annotated[str, typer.Option(help="Site id.")],
    email: Annotated[str, typer.Option(help="The person's email address.")],
) -> None:
    """Print everything held about a person as JSON (audited)."""
    from belowline.privacy.service import export_for_admin

    with _session() as session:
        data = export_for_admin(
            session, actor=None, person=_person(session, site, email), now=system_clock()
        )
        session.commit()
        print(json.dumps(data, indent=2, ensure_ascii=False))


@privacy_app.command("erase")
def erase(
    site: Annotated[str, typer.Option(help="Site id.")],
    email: Annotated[str, typer.Option(help="The person's email address.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm the erasure.")] = False,
) -> None:
    """Erase a person's personal data (audited)."""
    from belowline.errors import BelowlineError
    from belowline.privacy.erase import erase_person

    if not yes:
        typer.echo("Add --yes to confirm: erasure cannot be undone.", err=True)
        raise typer.Exit(2)
    with _session() as session:
        try:
            out = erase_person(
                session, user=_person(session, site, email), actor=None, now=system_clock()
            )
        except BelowlineError as exc:
            session.rollback()
            typer.echo(f"Nothing was erased: {exc.message} ({exc.code})", err=True)
            raise typer.Exit(1) from exc
        session.commit()
        print(json.dumps(out))


@privacy_app.command("retention")
def retention() -> None:
    """Purge what is past its retention period now."""
    from belowline.privacy.retention import run_retention

    with _session() as session:
        out = run_retention(session, now=system_clock())
        session.commit()
        print(json.dumps(out))


@mail_app.command("digest")
def digest() -> None:
    """Queue today's reply digests (the outbox worker sends them)."""
    from belowline.mail.digest import run_digest

    with _session() as session:
        queued = run_digest(session, now=system_clock())
        session.commit()
        print(json.dumps({"queued": queued}))
