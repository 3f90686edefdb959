"""One scoring path: a site's word lists and adopted model, for the post path and the CLI alike.

The live post path and ``belowline triage score --site`` both score through a `SiteScorer`, so
a newsroom testing a comment on the command line sees exactly the score a post would get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from belowline.learning import service as learning
from belowline.stories.models import Site
from belowline.triage.linear import LinearTextModel
from belowline.triage.pipeline import TriageResult, score_comment
from belowline.triage.wordlists import DEFAULT_BANNED, DEFAULT_SUSPECT

__all__ = ["Scored", "SiteScorer", "default_scorer", "site_scorer"]


@dataclass(frozen=True, slots=True)
class Scored:
    """The triage result, the values the thresholds act on, and the adopted model's id."""

    result: TriageResult
    values: dict[str, float | None]
    model_id: int | None

    def to_json(self) -> dict[str, object]:
        """``triage score``'s line: the served scores (the adopted model's abuse, if any)."""
        out = self.result.to_json()
        abuse = self.values["abuse"]
        out["abuse"] = round(abuse, 4) if abuse is not None else None
        out["model"] = self.model_id if self.model_id is not None else "shipped"
        return out


@dataclass(frozen=True, slots=True)
class SiteScorer:
    """A site's lists and adopted model, loaded once; scores any number of comments."""

    banned: tuple[str, ...] = DEFAULT_BANNED
    suspect: tuple[str, ...] = DEFAULT_SUSPECT
    adopted: tuple[int, LinearTextModel] | None = None

    def score(
        self,
        text: str,
        *,
        article: str | None = None,
        parent: str | None = None,
        recent_texts: Sequence[str] = (),
        recent_times: Sequence[datetime | float] = (),
        now: datetime | float | None = None,
    ) -> Scored:
        """Score one comment as a live post would be scored."""
        result = score_comment(
            text,
            article=article,
            parent=parent,
            recent_texts=recent_texts,
            recent_times=recent_times,
            now=now,
            banned=self.banned,
            suspect=self.suspect,
        )
        values: dict[str, float | None] = {
            "abuse": result.abuse,
            "spam": result.spam,
            "off_topic": result.off_topic,
        }
        model_id = None
        if self.adopted is not None:
            model_id, served = self.adopted
            values["abuse"] = learning.serve(served, text, result)
        return Scored(result, values, model_id)


def site_lists(site: Site) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The site's banned and suspect words (the built-in defaults where it set none)."""
    settings = site.settings or {}
    banned = tuple(settings.get("banned_words", DEFAULT_BANNED))
    suspect = tuple(settings.get("suspect_words", DEFAULT_SUSPECT))
    return banned, suspect


def site_scorer(session: Session, site: Site) -> SiteScorer:
    """The scorer a live post on ``site`` goes through: its lists and its adopted model."""
    banned, suspect = site_lists(site)
    return SiteScorer(banned, suspect, learning.adopted_abuse_model(session, site))


def default_scorer() -> SiteScorer:
    """The scorer of a site with no settings of its own: default lists, the shipped model."""
    return SiteScorer()
