"""A training run's outcome, stored in English, shown on the Overview in the staff member's
language with its figures; a nameless reporter on a person's record is "Reader" in it too."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n.catalogs import translations
from belowline.learning import adoption
from belowline.learning import service as learning
from belowline.staffing.outcomes import training_outcome
from tests.cast import Cast, post, report
from tests.dashboard.test_pages import BASE, sign_in

LABELS = [1] * 60 + [0] * 140


def _scores(separation: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.gauss(0.0, 1.0) + separation * y for y in LABELS]


def _french(text: str) -> str:
    return training_outcome(text, translations("fr").gettext)


def _german(text: str) -> str:
    return training_outcome(text, translations("de").gettext)


def test_every_verdict_is_translated_with_its_figures() -> None:
    adopted = adoption.judge(LABELS, _scores(0.3, 1), _scores(2.0, 2))
    kept = adoption.judge(LABELS, _scores(1.0, 3), _scores(1.0, 3))
    assert adopted.adopt and not kept.adopt
    figure = f"{adopted.auc_candidate:.3f}"
    fr = _french(adopted.reason)
    assert fr.startswith("adopté (ROC-AUC ") and figure in fr
    assert "IC à 95 % : " in fr and "%%" not in fr
    assert _german(adopted.reason).startswith("übernommen (ROC-AUC ")
    assert "95-%-Intervall" in _german(adopted.reason)
    fr_kept = _french(kept.reason)
    assert fr_kept.startswith("modèle actuel conservé : le gain ")
    assert "gain is" not in fr_kept and "kept" not in fr_kept


def test_missing_labels_are_translated_one_by_one() -> None:
    missing = adoption.enough_labels(positives=20, negatives=30, test_positives=4, test_negatives=6)
    assert missing is not None
    assert _french(missing) == (
        "pas assez d’étiquettes pour juger un nouveau modèle : "
        "20 suppressions pour propos abusifs (il en faut 50); "
        "30 commentaires approuvés ou maintenus (il en faut 50); "
        "4 suppressions et 6 autres parmi les commentaires les plus récents réservés au test "
        "(il en faut 15 de chaque)"
    )
    de = _german(adoption.ONE_CLASS)
    assert de == "zu wenige Labels: Der ältere Teil enthält nur eine Klasse"


@pytest.mark.parametrize(
    "text",
    [
        "adopted (a wording from an older version)",
        "something else entirely",
        "",
    ],
)
def test_wording_no_sentence_knows_is_shown_as_stored(text: str) -> None:
    assert _french(text) == text


def test_english_is_the_stored_text_itself() -> None:
    for reason in (
        adoption.judge(LABELS, _scores(0.3, 1), _scores(2.0, 2)).reason,
        adoption.enough_labels(positives=1, negatives=2, test_positives=0, test_negatives=0),
        adoption.ONE_CLASS,
    ):
        assert reason is not None
        assert training_outcome(reason, translations("en").gettext) == reason


def test_the_overview_shows_the_last_run_in_french(
    client_factory: Callable[..., TestClient], cast: Cast, session: Session
) -> None:
    run = learning.train(session, site_id="gazette", now=cast.clock())
    session.commit()
    english = run.figures["outcome"]
    assert english.startswith("not enough labels")
    desk = client_factory(base_url=BASE, follow_redirects=False, headers={"Accept-Language": "fr"})
    sign_in(desk, cast.mod)
    page = desk.get("/moderate/overview")
    assert page.status_code == 200
    assert "pas assez d’étiquettes" in page.text
    assert "0 suppressions pour propos abusifs (il en faut 50)" in page.text
    assert english not in page.text and "removals for abuse" not in page.text


def test_a_nameless_reporter_is_a_reader_in_the_pages_language(
    client_factory: Callable[..., TestClient], client: TestClient, cast: Cast, session: Session
) -> None:
    comment = post(client, cast, cast.author, "The bridge is a waste of money.")
    assert report(client, cast, cast.reader, comment).status_code == 201
    reporter = session.get(User, cast.reader.id)
    assert reporter is not None
    reporter.display_name = ""
    session.commit()
    for lang, word in (("fr", "Lecteur"), ("de", "Leser/in"), ("en", "Reader")):
        desk = client_factory(
            base_url=BASE, follow_redirects=False, headers={"Accept-Language": lang}
        )
        sign_in(desk, cast.mod)
        page = desk.get(f"/moderate/users/{cast.author.id}")
        assert page.status_code == 200
        assert f'<div class="meta">{word} ·' in page.text, lang
