"""What proposed triage settings would have done to the site's own comments of the last 7 days.

Each comment keeps the scores triage gave it (`comments.scores`, with the coverage level at the
time). Both the current and the proposed thresholds are applied to those same scores, so the
difference is the settings' alone. When the word lists change, the abuse score is worked out
again from the comment's text with the proposed lists (the site-trained model, where one
scored the comment, keeps its score and gets the new word floors on top).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.comments.views import iso
from belowline.policy.post_policy import SIGNALS, choose
from belowline.sites.validation import LEVELS
from belowline.stories.models import Site
from belowline.triage.scorers.abuse import BANNED_FLOOR, SUSPECT_FLOOR, score_abuse
from belowline.triage.scorers.wordlists import score_words

WINDOW = timedelta(days=7)
MAX_COMMENTS = 5000
MAX_EXAMPLES = 25


def _values(scores: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in SIGNALS:
        value = scores.get(name)
        out[name] = float(value) if isinstance(value, int | float) else None
    return out


def _rescored_abuse(text: str, scores: dict[str, Any], proposed: dict[str, Any]) -> float:
    words = score_words(text, banned=proposed["banned_words"], suspect=proposed["suspect_words"])
    if scores.get("site_model") is None:
        return score_abuse(text, words.matches).score
    stored = float(scores.get("abuse") or 0.0)
    if words.banned:
        return max(stored, BANNED_FLOOR)
    return max(stored, SUSPECT_FLOOR) if words.suspect else stored


def _tally() -> dict[str, dict[str, int]]:
    return {level: {"publish": 0, "flag": 0, "hold": 0} for level in LEVELS}


def preview(
    session: Session,
    *,
    site: Site,
    current: dict[str, Any],
    proposed: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Counts per coverage level now and as proposed, and the comments whose outcome changes."""
    since = now - WINDOW
    rows = session.execute(
        select(Comment.id, Comment.body_md, Comment.scores, Comment.created_at)
        .where(Comment.site_id == site.id, Comment.created_at >= since)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(MAX_COMMENTS)
    ).all()
    lists_changed = (current["banned_words"], current["suspect_words"]) != (
        proposed["banned_words"],
        proposed["suspect_words"],
    )
    before, after = _tally(), _tally()
    changes: list[dict[str, Any]] = []
    changed_count = 0
    scored = 0
    for comment_id, body, scores, created_at in rows:
        if not isinstance(scores, dict) or scores.get("coverage") not in LEVELS:
            continue
        scored += 1
        level = str(scores["coverage"])
        values = _values(scores)
        was = choose(values, current["thresholds"][level])
        new_values = dict(values)
        if lists_changed:
            new_values["abuse"] = _rescored_abuse(body, scores, proposed)
        will = choose(new_values, proposed["thresholds"][level])
        before[level][was.action] += 1
        after[level][will.action] += 1
        if was.action == will.action:
            continue
        changed_count += 1
        if len(changes) < MAX_EXAMPLES:
            changes.append(
                {
                    "comment_id": comment_id,
                    "excerpt": body[:200],
                    "coverage": level,
                    "before": was.action,
                    "after": will.action,
                    "signal": will.signal or was.signal,
                    "scores": {
                        k: None if v is None else round(v, 3) for k, v in new_values.items()
                    },
                    "created_at": iso(created_at),
                }
            )
    return {
        "from": iso(since),
        "to": iso(now),
        "comments": scored,
        "current": before,
        "proposed": after,
        "changed": changed_count,
        "examples": changes,
    }
