"""The triage pipeline: every local scorer over one comment, and the ``triage score`` CLI loop.

Pure functions of their arguments: no database, no network. The caller supplies the article
text, the parent comment, the author's recent comments and post times and the site's word
lists; the result is stored with the comment and shown to moderators.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from belowline.triage.scorers.abuse import score_abuse
from belowline.triage.scorers.offtopic import score_off_topic
from belowline.triage.scorers.spam import score_spam
from belowline.triage.scorers.wordlists import score_words
from belowline.triage.wordlists import DEFAULT_BANNED, DEFAULT_SUSPECT, WordMatch

__all__ = ["TriageResult", "score_comment", "score_lines", "warm_up"]


@dataclass(frozen=True, slots=True)
class TriageResult:
    """All scores for one comment, in [0, 1] (``off_topic`` is None without an article)."""

    abuse: float
    off_topic: float | None
    spam: float
    banned_words: tuple[str, ...]
    suspect_words: tuple[str, ...]
    reasons: tuple[str, ...]
    matches: tuple[WordMatch, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``triage score`` JSON object: abuse, off_topic, spam, reasons and word hits."""
        return {
            "abuse": round(self.abuse, 4),
            "off_topic": None if self.off_topic is None else round(self.off_topic, 4),
            "spam": round(self.spam, 4),
            "reasons": list(self.reasons),
            "banned_words": list(self.banned_words),
            "suspect_words": list(self.suspect_words),
        }


def score_comment(
    text: str,
    *,
    article: str | None = None,
    parent: str | None = None,
    recent_texts: Sequence[str] = (),
    recent_times: Sequence[datetime | float] = (),
    now: datetime | float | None = None,
    banned: Iterable[str] = DEFAULT_BANNED,
    suspect: Iterable[str] = DEFAULT_SUSPECT,
) -> TriageResult:
    """Run every default scorer over one comment.

    ``recent_texts``/``recent_times`` are the author's recent comments and post times (not
    including this one); ``banned``/``suspect`` are the site's lists (built-in defaults if not
    given, none if given empty).
    """
    words = score_words(text, banned=banned, suspect=suspect)
    abuse = score_abuse(text, words.matches)
    off_topic = score_off_topic(text, article=article, parent=parent)
    spam = score_spam(text, recent_texts=recent_texts, recent_times=recent_times, now=now)
    reasons = words.reasons + abuse.reasons + spam.reasons + off_topic.reasons
    return TriageResult(
        abuse=abuse.score,
        off_topic=off_topic.score,
        spam=spam.score,
        banned_words=words.banned,
        suspect_words=words.suspect,
        reasons=reasons,
        matches=words.matches,
    )


def warm_up() -> None:
    """Load the models now rather than on the first comment (takes about a second)."""
    score_comment("warm up", article="warm up")


def _optional_text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'"{key}" must be a string or null')


# Scores one line's text, article and parent to its JSON object (the CLI passes a site's).
LineScorer = Callable[[str, str | None, str | None], dict[str, Any]]


def _score_line(line: str, score: LineScorer) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    return score(text, _optional_text(record, "article"), _optional_text(record, "parent"))


def score_lines(
    stdin: TextIO,
    stdout: TextIO,
    *,
    banned: Iterable[str] = DEFAULT_BANNED,
    suspect: Iterable[str] = DEFAULT_SUSPECT,
    score: LineScorer | None = None,
    batch: int = 1,
) -> int:
    """Implement ``belowline triage score``: JSON lines in, one JSON line out per input line.

    Input lines are ``{"text": ..., "article"?: ..., "parent"?: ...}``; blank lines are
    skipped. A line that cannot be scored produces ``{"error": ..., "line": n}`` and the loop
    goes on. ``score`` replaces the default scorer over ``banned``/``suspect`` (the CLI passes
    a site's, lists and adopted model); output is written and flushed every ``batch`` lines
    (1 for a live pipe, more for files). Returns the number of error lines, for the exit status.
    """
    banned_list, suspect_list = tuple(banned), tuple(suspect)

    def default(text: str, article: str | None, parent: str | None) -> dict[str, Any]:
        result = score_comment(
            text, article=article, parent=parent, banned=banned_list, suspect=suspect_list
        )
        return result.to_json()

    scorer = score or default
    errors = 0
    pending: list[str] = []
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            out = _score_line(line, scorer)
        except (ValueError, RecursionError) as exc:  # json.JSONDecodeError is a ValueError
            errors += 1
            out = {"error": f"line {number}: {exc}", "line": number}
        pending.append(json.dumps(out, ensure_ascii=False) + "\n")
        if len(pending) >= max(1, batch):
            stdout.write("".join(pending))
            stdout.flush()
            pending.clear()
    if pending:
        stdout.write("".join(pending))
        stdout.flush()
    return errors
