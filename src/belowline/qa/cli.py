"""`belowline qa mode|expert|assign`: run a story's Q&A from the command line (audited)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from belowline.clock import system_clock
from belowline.db import make_engine, make_sessionmaker
from belowline.errors import BelowlineError
from belowline.settings import Settings

qa_app = typer.Typer(help="Q&A mode: readers ask, a story's experts answer.", no_args_is_help=True)

SiteOpt = Annotated[str, typer.Option(help="Site id.")]
StoryOpt = Annotated[str, typer.Option(help="The story's id (as the embed gives it).")]


def _session() -> Session:
    settings = Settings()
    return make_sessionmaker(make_engine(settings.effective_database_url))()


def _fail(err: BelowlineError) -> typer.Exit:
    typer.echo(f"{err.code.value}: {err.message}", err=True)
    return typer.Exit(1)


@qa_app.command("mode")
def mode(
    site: SiteOpt,
    story: StoryOpt,
    to: Annotated[str, typer.Argument(help="open, closed or off.")],
) -> None:
    """Open a story's Q&A, close it, or switch it off."""
    from belowline.qa import service

    session = _session()
    try:
        row = service.set_mode(
            session, actor=None, site_id=site, story_id=story, mode=to, now=system_clock()
        )
    except BelowlineError as err:
        raise _fail(err) from None
    session.commit()
    print(json.dumps({"story_id": story, "mode": row.mode}))


@qa_app.command("expert")
def expert(
    action: Annotated[str, typer.Argument(help="add or remove.")],
    site: SiteOpt,
    story: StoryOpt,
    who: Annotated[str, typer.Option(help="The person's email address or user id.")],
) -> None:
    """Name someone an expert for a story, or take them off."""
    from belowline.qa import service

    if action not in ("add", "remove"):
        typer.echo("The action is add or remove.", err=True)
        raise typer.Exit(2)
    session = _session()
    now = system_clock()
    try:
        person = service.find_person(session, site_id=site, who=who)
        if action == "add":
            service.add_expert(
                session, actor=None, site_id=site, story_id=story, user_id=person.id, now=now
            )
        else:
            service.remove_expert(
                session, actor=None, site_id=site, story_id=story, user_id=person.id, now=now
            )
        names = [
            u.display_name
            for u in service.experts(session, story_id=_story_pk(session, site, story))
        ]
    except BelowlineError as err:
        raise _fail(err) from None
    session.commit()
    print(json.dumps({"story_id": story, "experts": names}))


def _story_pk(session: Session, site: str, story: str) -> int:
    from belowline.stories import service as stories_service

    return stories_service.get_story(session, site_id=site, external_id=story).id


@qa_app.command("assign")
def assign(
    site: SiteOpt,
    question: Annotated[int, typer.Option(help="The question's comment id.")],
    who: Annotated[
        str, typer.Option(help="The expert's email or user id; empty to unassign.")
    ] = "",
) -> None:
    """Give a question to one of its story's experts."""
    from belowline.qa import service

    session = _session()
    try:
        expert_id = service.find_person(session, site_id=site, who=who).id if who else None
        service.assign(
            session,
            actor=None,
            question_id=question,
            expert_id=expert_id,
            now=system_clock(),
            site_id=site,
        )
    except BelowlineError as err:
        raise _fail(err) from None
    session.commit()
    print(json.dumps({"question": question, "expert_id": expert_id}))
