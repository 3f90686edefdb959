"""`belowline sites create|show|list|update`: a site's settings from the command line.

`update` sends the same change as `PATCH /api/v1/sites/{id}` through the same service, so it
is validated whole (nothing saved on a bad field) and audited (as the system).
"""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from belowline.clock import system_clock
from belowline.db import command_session
from belowline.settings import Settings

sites_app = typer.Typer(help="Sites (publisher properties).", no_args_is_help=True)
console = Console(stderr=True)


def _session() -> AbstractContextManager[Session]:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return command_session(settings.effective_database_url)


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")


def _print_settings(view: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(view, indent=2))
        return
    sso = view["sso"]
    print(f"{view['id']}  {view['name']}")
    print(f"  origins:        {', '.join(view['origins']) or '-'}")
    print(f"  subscribe_url:  {view['subscribe_url'] or '-'}")
    print(f"  edit window:    {view['edit_window_seconds']} s")
    print(f"  auto-close:     {view['auto_close_days'] or 'never'} days")
    print(f"  subscriber badge: {'on' if view.get('subscriber_badge') else 'off'}")
    print(f"  sso algorithms: {', '.join(sso['algorithms'])}")
    print(f"  sso secret:     {sso['secret']}")
    if sso["previous_secret"] == "set":  # noqa: S105 - a state, not a secret
        print(f"  previous secret accepted until {sso['previous_secret_until']}")
    print(f"  public key:     {'set' if sso['public_key'] else 'not set'}")
    print(f"  jwks:           {len(sso['jwks']['keys']) if sso['jwks'] else 0} keys inline")
    print(f"  jwks_url:       {sso['jwks_url'] or '-'}")
    print(f"  issuer:         {sso['issuer'] or '-'}   audience: {sso['audience'] or view['id']}")
    for level, signals in view["triage"]["thresholds"].items():
        cells = "  ".join(f"{k} {v['flag']}/{v['hold']}" for k, v in signals.items())
        print(f"  triage {level:<5} (flag/hold): {cells}")
    print(
        f"  word lists:     {len(view['triage']['banned_words'])} banned, "
        f"{len(view['triage']['suspect_words'])} suspect"
    )


@sites_app.command("create")
def sites_create(
    name: Annotated[str, typer.Option(help="The site's name.")],
    origin: Annotated[list[str], typer.Option(help="An origin the embed runs on (repeatable).")],
    sso_secret: Annotated[str | None, typer.Option(help="HS256 secret for publisher SSO.")] = None,
    subscribe_url: Annotated[str | None, typer.Option(help="Where readers subscribe.")] = None,
    signin_url: Annotated[str | None, typer.Option(help="Where readers sign in.")] = None,
    site_id: Annotated[str | None, typer.Option("--id", help="Choose the site id.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a site with the starter community rules; prints its id and API key."""
    from belowline.rules import service as rules_service
    from belowline.stories import service as stories_service

    now = system_clock()
    with _session() as session:
        site, api_key = stories_service.create_site(
            session,
            name=name,
            origins=origin,
            now=now,
            site_id=site_id,
            sso_secret=sso_secret,
            subscribe_url=subscribe_url,
            signin_url=signin_url,
        )
        rules_service.ensure_default_rules(session, site_id=site.id, now=now)
        session.commit()
    if as_json:
        print(
            json.dumps(
                {"id": site.id, "name": site.name, "origins": site.origins, "api_key": api_key}
            )
        )
    else:
        print(site.id)
        console.print(f"API key (shown once): {api_key}")


@sites_app.command("list")
def sites_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every site: id, name and origins."""
    from belowline.sites import service

    with _session() as session:
        rows = [
            {"id": s.id, "name": s.name, "origins": list(s.origins or [])}
            for s in service.list_sites(session)
        ]
    if as_json:
        print(json.dumps(rows))
        return
    for row in rows:
        print(f"{row['id']}\t{row['name']}\t{' '.join(row['origins'])}")


@sites_app.command("show")
def sites_show(
    site: Annotated[str, typer.Argument(help="Site id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A site's settings (secrets only as "set" or "not set")."""
    from belowline.sites import service
    from belowline.stories.service import get_site

    with _session() as session:
        view = service.settings_view(get_site(session, site_id=site), now=system_clock())
    _print_settings(view, as_json)


@sites_app.command("update")
def sites_update(
    site: Annotated[str, typer.Argument(help="Site id.")],
    name: Annotated[str | None, typer.Option(help="The site's name.")] = None,
    origin: Annotated[
        list[str] | None, typer.Option(help="Replace the origins (repeatable).")
    ] = None,
    subscribe_url: Annotated[str | None, typer.Option(help="Where readers subscribe.")] = None,
    edit_window: Annotated[int | None, typer.Option(help="Edit window in seconds.")] = None,
    auto_close_days: Annotated[
        int | None, typer.Option(help="Close comments after N days (0: never).")
    ] = None,
    sso_algorithm: Annotated[
        list[str] | None, typer.Option(help="Allowed SSO algorithm (repeatable).")
    ] = None,
    sso_secret: Annotated[
        str | None,
        typer.Option(
            help="New HS secret ('-' reads stdin); the old one keeps working for the grace period."
        ),
    ] = None,
    sso_secret_grace: Annotated[
        int, typer.Option(help="Seconds the previous secret is still accepted.")
    ] = 86400,
    sso_public_key_file: Annotated[Path | None, typer.Option(help="PEM public key file.")] = None,
    sso_jwks_file: Annotated[Path | None, typer.Option(help="Inline JWKS file (JSON).")] = None,
    sso_jwks_url: Annotated[str | None, typer.Option(help="JWKS URL ('' clears).")] = None,
    sso_issuer: Annotated[str | None, typer.Option(help="Expected iss ('' clears).")] = None,
    sso_audience: Annotated[str | None, typer.Option(help="Expected aud ('' clears).")] = None,
    triage_file: Annotated[
        Path | None, typer.Option(help="Triage JSON: thresholds, banned_words, suspect_words.")
    ] = None,
    subscriber_badge: Annotated[
        bool | None,
        typer.Option(
            "--subscriber-badge/--no-subscriber-badge",
            help="Show a Subscriber badge beside subscribers' names.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Change a site's settings, validated whole and audited; prints the settings after."""
    from belowline.errors import BelowlineError
    from belowline.sites import service
    from belowline.stories.service import get_site

    changes: dict[str, Any] = {}
    sso: dict[str, Any] = {}
    for key, value in (
        ("name", name),
        ("origins", origin or None),
        ("subscribe_url", subscribe_url),
        ("edit_window_seconds", edit_window),
    ):
        if value is not None:
            changes[key] = value
    if auto_close_days is not None:
        changes["auto_close_days"] = auto_close_days or None
    if subscriber_badge is not None:
        changes["subscriber_badge"] = subscriber_badge
    if sso_secret is not None:
        from_stdin = sso_secret == "-"  # noqa: S105 - the stdin marker
        sso["secret"] = (sys.stdin.readline().strip() if from_stdin else sso_secret) or None
        sso["secret_grace_seconds"] = sso_secret_grace
    if sso_algorithm:
        sso["algorithms"] = sso_algorithm
    if sso_public_key_file is not None:
        sso["public_key"] = _read(sso_public_key_file)
    try:
        if sso_jwks_file is not None:
            sso["jwks"] = json.loads(_read(sso_jwks_file) or "null")
        triage = json.loads(_read(triage_file) or "null") if triage_file else None
    except ValueError as exc:
        console.print(f"[red]Not valid JSON: {exc}[/red]")
        raise typer.Exit(code=2) from exc
    for key, value in (
        ("jwks_url", sso_jwks_url),
        ("issuer", sso_issuer),
        ("audience", sso_audience),
    ):
        if value is not None:
            sso[key] = value or None
    if sso:
        changes["sso"] = sso
    if triage is not None:
        changes["triage"] = triage
    now = system_clock()
    with _session() as session:
        try:
            record = get_site(session, site_id=site)
            changed = service.update_site(
                session, site=record, actor=None, changes=changes, now=now
            )
        except BelowlineError as exc:
            session.rollback()
            console.print(f"[red]Nothing was saved: {exc.message}[/red] ({exc.code})")
            raise typer.Exit(code=1) from exc
        session.commit()
        view = service.settings_view(record, now=now)
    console.print(f"Changed: {', '.join(changed) or 'nothing'}")
    _print_settings(view, as_json)


@sites_app.command("locale")
def sites_locale(
    site: Annotated[str, typer.Argument(help="Site id.")],
    locale: Annotated[str | None, typer.Argument(help="en, fr, de, es, cy, gd or ar.")] = None,
) -> None:
    """Show or set the site's default locale (readers' own language and data-locale win)."""
    from belowline.errors import BelowlineError
    from belowline.i18n import service as i18n_service
    from belowline.stories import service as stories_service

    with _session() as session:
        try:
            found = stories_service.get_site(session, site_id=site)
            if locale is not None:
                i18n_service.set_site_locale(session, site=found, locale=locale)
                session.commit()
            print(i18n_service.site_locale(found))
        except BelowlineError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(2) from exc
