"""Learning from the newsroom: retrain a site's abuse model on its own moderators' decisions.

Labels: a comment removed under an abuse-type rule is positive; one a moderator approved, or
one published and never removed for `STANDING_DAYS`, is negative. The candidate (TF-IDF word
and character n-grams + logistic regression) is served as the mean of its probability and the
shipped abuse score, so a few hundred labels adjust the shipped model rather than replace it.
It is fitted in pure Python (``triage/fitting.py``: serving installs carry no scikit-learn) on
the older 80% of labelled comments and judged on the newest 20% against the score the site
serves now; ``adoption.py`` adopts it only on enough labels and a bootstrap interval of the
ROC-AUC gain above zero. Every run is kept with its figures and the reason for its outcome.
Weak points: removals are biased towards what was reported; "left standing" is a weak
negative; off-topic is not retrained.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments.models import Comment, CommentStatus
from belowline.comments.staff_views import original_text
from belowline.decisions.models import Decision, DecisionAction
from belowline.learning import adoption
from belowline.learning.models import TriageModel
from belowline.stories import service as stories_service
from belowline.stories.models import Site
from belowline.triage.fitting import fit_text_classifier
from belowline.triage.linear import LinearTextModel
from belowline.triage.pipeline import TriageResult
from belowline.triage.scorers.abuse import MODEL_CHARS, prepare, word_floor

SETTINGS_KEY = "triage_model"
KIND = "abuse"
ABUSE_RULES = ("respect", "no-hate")
STANDING_DAYS = 7
TEST_SHARE = 0.2

_LOADED: dict[int, LinearTextModel] = {}


def adopted_abuse_model(session: Session, site: Site) -> tuple[int, LinearTextModel] | None:
    """The site's adopted abuse model, loaded once per process, or None."""
    pointer = (site.settings or {}).get(SETTINGS_KEY)
    if not pointer or not pointer.get("id"):
        return None
    model_id = int(pointer["id"])
    model = _LOADED.get(model_id)
    if model is None:
        row = session.get(TriageModel, model_id)
        if row is None or row.state is None:
            return None
        model = LinearTextModel.from_state(json.loads(zlib.decompress(row.state)))
        _LOADED[model_id] = model
    return model_id, model


def _floor(result: TriageResult) -> float:
    return word_floor(result.matches)


def blend(site_probability: float, shipped: float, floor: float) -> float:
    """The served abuse score: the mean of both models, never under the word-list floor."""
    return min(1.0, max(floor, (site_probability + shipped) / 2))


def serve(model: LinearTextModel, text: str, result: TriageResult) -> float:
    """The abuse score a site with an adopted model serves for one comment."""
    return blend(model.predict(prepare(text[:MODEL_CHARS])), result.abuse, _floor(result))


# --- training ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    comment_id: int
    text: str
    label: int
    at: datetime


def examples(session: Session, *, site_id: str, now: datetime) -> list[Example]:
    """Labelled comments from the site's moderation record, oldest first."""
    latest: dict[int, Decision] = {}
    for decision in session.scalars(
        select(Decision).where(Decision.site_id == site_id).order_by(Decision.id)
    ):
        latest[decision.comment_id] = decision
    labelled: dict[int, int] = {}
    for comment_id, decision in latest.items():
        if decision.action == DecisionAction.REMOVE and decision.rule_key in ABUSE_RULES:
            labelled[comment_id] = 1
        elif decision.action in (DecisionAction.APPROVE, DecisionAction.RESTORE):
            labelled[comment_id] = 0
    standing = session.scalars(
        select(Comment.id).where(
            Comment.site_id == site_id,
            Comment.status == CommentStatus.PUBLISHED,
            Comment.created_at <= now - timedelta(days=STANDING_DAYS),
        )
    ).all()
    for comment_id in standing:
        labelled.setdefault(comment_id, 0)
    out = []
    for comment_id, label in labelled.items():
        comment = session.get(Comment, comment_id)
        if comment is None or comment.status == CommentStatus.DELETED:
            continue
        out.append(Example(comment_id, original_text(session, comment), label, comment.created_at))
    return sorted(out, key=lambda e: (e.at, e.comment_id))


def _key(text: str) -> str:
    """A comment's text for spotting copies: case, spacing and punctuation ignored."""
    return " ".join(prepare(text).split())


def _fit(texts: list[str], labels: list[int]) -> LinearTextModel:
    """Word 1-2 and char 2-5 TF-IDF into a balanced logistic regression (pure Python)."""
    prepared = [prepare(t[:MODEL_CHARS]) for t in texts]
    return fit_text_classifier(prepared, labels, binary=True, c=4.0, balanced=True, max_iter=2000)


def train(session: Session, *, site_id: str, now: datetime) -> TriageModel:
    """Train, evaluate and maybe adopt a candidate; the run is recorded either way."""
    from belowline.triage.pipeline import score_comment

    site = stories_service.get_site(session, site_id=site_id)
    data = examples(session, site_id=site.id, now=now)
    positives = sum(e.label for e in data)
    negatives = len(data) - positives
    figures: dict[str, Any] = {
        "examples": len(data),
        "positives": positives,
        "negatives": negatives,
        "rules": list(ABUSE_RULES),
        "split": f"time-ordered, newest {int(TEST_SHARE * 100)}% held back",
    }
    row = TriageModel(site_id=site.id, kind=KIND, adopted=False, figures=figures, created_at=now)
    cut = int(len(data) * (1 - TEST_SHARE))
    train_set = data[:cut]
    seen = {_key(e.text) for e in train_set}
    test_set = [e for e in data[cut:] if _key(e.text) not in seen]  # copies would flatter it
    test_pos = sum(e.label for e in test_set)
    figures["test_duplicates_dropped"] = len(data) - cut - len(test_set)
    missing = adoption.enough_labels(
        positives=positives,
        negatives=negatives,
        test_positives=test_pos,
        test_negatives=len(test_set) - test_pos,
    )
    if missing is not None or len({e.label for e in train_set}) < 2:
        figures["outcome"] = missing or adoption.ONE_CLASS
        row.figures = figures
        session.add(row)
        session.flush()
        return row
    candidate = _fit([e.text for e in train_set], [e.label for e in train_set])
    current = adopted_abuse_model(session, site)
    labels = [e.label for e in test_set]
    served_now, served_new = [], []
    for example in test_set:
        result = score_comment(example.text)
        floor = _floor(result)
        served_now.append(
            serve(current[1], example.text, result) if current is not None else result.abuse
        )
        served_new.append(
            blend(candidate.predict(prepare(example.text[:MODEL_CHARS])), result.abuse, floor)
        )
    verdict = adoption.judge(labels, served_now, served_new)
    adopt = verdict.adopt
    figures.update(
        train_examples=len(train_set),
        test_examples=len(test_set),
        test_positives=test_pos,
        auc_current=round(verdict.auc_current, 4),
        auc_candidate=round(verdict.auc_candidate, 4),
        auc_gain=round(verdict.gain, 4),
        auc_gain_95=[round(verdict.gain_low, 4), round(verdict.gain_high, 4)],
        current_model=current[0] if current is not None else "shipped",
        outcome=verdict.reason,
    )
    row.figures = figures
    row.adopted = adopt
    if adopt:
        row.state = zlib.compress(json.dumps(candidate.to_state()).encode("utf-8"))
    session.add(row)
    session.flush()
    if adopt:
        site.settings = {
            **(site.settings or {}),
            SETTINGS_KEY: {
                "id": row.id,
                "trained_at": now.isoformat(),
                "auc": figures["auc_candidate"],
                "auc_before": figures["auc_current"],
                "test_examples": len(test_set),
            },
        }
        _LOADED[row.id] = candidate
    session.flush()
    return row


def model_view(session: Session, *, site: Site, limit: int = 10) -> dict[str, Any]:
    """The adopted model's figures and the recent runs, for the dashboard."""
    runs = session.scalars(
        select(TriageModel)
        .where(TriageModel.site_id == site.id, TriageModel.kind == KIND)
        .order_by(TriageModel.id.desc())
        .limit(limit)
    ).all()
    return {
        "current": (site.settings or {}).get(SETTINGS_KEY) or {"id": None, "model": "shipped"},
        "runs": [
            {
                "id": r.id,
                "created_at": r.created_at.isoformat(),
                "adopted": r.adopted,
                "figures": r.figures,
            }
            for r in runs
        ],
    }
