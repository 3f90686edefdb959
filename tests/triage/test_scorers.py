"""Scorer sanity: obvious cases land on the right side, with reasons a moderator can read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from belowline.triage.scorers.abuse import BANNED_FLOOR, score_abuse
from belowline.triage.scorers.offtopic import score_off_topic
from belowline.triage.scorers.spam import count_links, score_spam
from belowline.triage.scorers.wordlists import score_words
from belowline.triage.wordlists import find_words

ARTICLE = (
    "The county council has approved a 4% rise in council tax to fund adult social care and "
    "repairs to school buildings. Councillors voted 32 to 20 for the budget after a debate on "
    "cuts to library opening hours and bus subsidies. Opposition councillors said the rise "
    "would hit families already struggling with energy bills."
)
POLITE = (
    "I think the council is right to fund social care, but cutting library hours seems "
    "short-sighted. Could they not have looked at the bus subsidies again?"
)


@pytest.mark.parametrize(
    "text",
    [
        "You are a fucking idiot and everyone hates you, go kill yourself",
        "Shut up you stupid moron, nobody cares about your worthless opinion",
        "what a pathetic loser, you disgusting piece of shit",
    ],
)
def test_score_abuse_obviously_abusive_is_high(text: str) -> None:
    result = score_abuse(text, find_words(text))
    assert result.score >= 0.8
    assert result.model >= 0.5


def test_score_abuse_polite_news_comment_is_low() -> None:
    result = score_abuse(POLITE)
    assert result.score < 0.3
    assert result.reasons == ()


def test_score_abuse_explains_high_scores() -> None:
    result = score_abuse("Shut up you stupid moron")
    assert result.reasons
    assert result.reasons[0].startswith("Reads as abusive")


def test_score_abuse_banned_word_sets_a_floor() -> None:
    text = "He is a c.u.n.t"
    assert score_abuse(text, find_words(text)).score >= BANNED_FLOOR


def test_score_abuse_stays_in_unit_interval_for_odd_input() -> None:
    for text in ("", " ", "🙂" * 50, "a" * 20_000, "&amp; RT @someone http://x.io"):
        assert 0.0 <= score_abuse(text).score <= 1.0


def test_score_off_topic_is_none_without_article() -> None:
    assert score_off_topic(POLITE).score is None
    assert score_off_topic(POLITE, article="   ").score is None


def test_score_off_topic_low_for_on_topic_comment() -> None:
    result = score_off_topic(POLITE, article=ARTICLE)
    assert result.score is not None
    assert result.score < 0.3


def test_score_off_topic_high_for_unrelated_comment() -> None:
    text = "Manchester United's new striker looked sharp in training and should start on Saturday."
    result = score_off_topic(text, article=ARTICLE)
    assert result.score is not None
    assert result.score > 0.7
    assert result.reasons
    assert "few key words" in result.reasons[0]


def test_score_off_topic_reply_continuing_its_parent_is_not_off_topic() -> None:
    parent = "Did anyone else watch the football last night? The striker was brilliant."
    reply = "Yes, the striker was brilliant, best football I have watched all season."
    alone = score_off_topic(reply, article=ARTICLE)
    threaded = score_off_topic(reply, article=ARTICLE, parent=parent)
    assert alone.score is not None
    assert alone.score > 0.7
    assert threaded.score is not None
    assert threaded.score < 0.3


def test_score_off_topic_short_comment_is_not_judged() -> None:
    result = score_off_topic("Agreed.", article=ARTICLE)
    assert result.score is not None
    assert result.score < 0.3


def test_count_links_finds_urls_and_bare_domains() -> None:
    assert count_links("see https://a.example/x and www.b.com or cheap-pills.biz now") == 3
    assert count_links("The U.S. economy grew 2.5% in Q3.") == 0


def test_score_spam_link_farm_is_high() -> None:
    text = "Best deals http://a.biz http://b.biz http://c.biz www.d.xyz"
    result = score_spam(text)
    assert result.score > 0.8
    assert any("4 links in" in r for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Hey guys check out my channel and please subscribe to me!!",
        "I earn $500 a day working from home, message me on WhatsApp +44 7700 900123",
        "Invest in bitcoin now, my trading signals double your profit",
    ],
)
def test_score_spam_known_shapes_are_flagged(text: str) -> None:
    result = score_spam(text)
    assert result.score >= 0.5
    assert any(r.startswith("Looks like spam") for r in result.reasons)


def test_score_spam_ordinary_comment_is_low() -> None:
    assert score_spam(POLITE).score < 0.1
    assert score_spam("The vote was 32 to 20, see page 4 of the report.").score < 0.1


def test_score_spam_repeated_text_counts() -> None:
    text = "Everyone should read the report before commenting on the council budget."
    result = score_spam(text, recent_texts=[text, text.upper(), "Something else entirely."])
    assert result.repeats == 2
    assert result.score >= 0.5


def test_score_spam_burst_of_posts_counts() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    times = [now - timedelta(seconds=10 * i) for i in range(1, 7)]
    result = score_spam("A perfectly ordinary remark.", recent_times=times, now=now)
    assert result.posts_last_10_min == 7
    assert result.score >= 0.5
    quiet = [now - timedelta(hours=i) for i in range(1, 7)]
    assert score_spam("A perfectly ordinary remark.", recent_times=quiet, now=now).score == 0.0


def test_score_words_banned_beats_suspect() -> None:
    result = score_words("shit, you c u n t")
    assert result.score == 1.0
    assert result.banned == ("cunt",)
    assert result.suspect == ("shit",)
    assert score_words("nothing to see").score == 0.0
