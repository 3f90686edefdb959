"""Context rules for word-list hits: a name, a quotation, a report or counter-speech is no insult.

A listed word still appears in the moderator's view (and a site that rejects banned words still
rejects it), but a hit in one of these contexts sets no floor under the abuse score: "Dick
Smith", "he called her a bitch", "calling people idiots is wrong" and "the word 'moron'" are
how news comments talk *about* abuse. The model still reads the whole comment.

Every rule looks only at the comment's own text around the hit (its sentence), so the rules
cost microseconds and run only when a list matched at all.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["Context", "context_of", "without_counter_quotes"]


class Context(StrEnum):
    """Why a word-list hit is not taken as abuse on its own."""

    NAME = "a name"
    PHRASE = "a stock phrase"
    QUOTED = "quoted"
    REPORTED = "reported speech"
    MENTIONED = "the word itself is discussed"
    COUNTER = "counter-speech"


# Listed words that are also given names or surnames ("Dick Smith", "Moby Dick").
NAME_LIKE = frozenset({"dick", "cock", "fanny", "willy", "knob", "bell", "butt"})
_HONORIFIC = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|sir|uncle|president|senator|sen|rep|mp|saint|st|prof)\.?\s+)$",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"^[A-Z][a-z'’]+$|^[A-Z]\.$")
_WORD = re.compile(r"[^\s\"“”‘’()\[\],;:!?]+")

# Innocent phrases containing a listed word, matched around the hit (lowercased).
_PHRASES = re.compile(
    r"\b(?:cock[- ]?ups?|cocked up|half[- ]cocked|stop ?cocks?|weather ?cocks?|cock ?tails?|"
    r"cockerels?|moby dick|spotted dick|dick (?:tracy|van dyke|cheney|turpin|whittington)|"
    r"piss(?:ed)? off|piss[- ]poor|pissing (?:it )?down|taking the piss|bloody|"
    r"bitch(?:ing)? about|son of a gun|kick(?:ing)? ass|bad ?ass|smart ?ass|"
    r"pain in the (?:ass|arse)|dumb ?ass|holy shit|no shit|shit happens)\b"
)

_SENTENCE_END = re.compile(r"[.!?\n]+\s")
# Reporting verbs, then up to four words, then the hit: "he called her a ...".
_REPORTING = re.compile(
    r"\b(?:call(?:ed|s|ing)?|label(?:l?ed|s|l?ing)?|brand(?:ed|s|ing)?|dubb?(?:ed|s|ing)?|"
    r"said|says|saying|say|shout(?:ed|s|ing)?|yell(?:ed|s|ing)?|scream(?:ed|s|ing)?|"
    r"wrote|writes|tweet(?:ed|s)?|post(?:ed|s)|accus(?:ed|es|ing)|insult(?:ed|s|ing)|"
    r"referred to|refer(?:s|ring)? to|slur(?:red|s)?|chant(?:ed|s|ing)?)"
    r"((?:\s+[\w'’-]+){0,4}?)\s*[\"“'‘]?\s*$",
    re.IGNORECASE,
)
# Reported speech aimed back at the reader is an insult, not a report: "I call you a ...".
_AT_READER = re.compile(r"\b(?:you|u|ya|yourself|yourselves|thee)\b", re.IGNORECASE)
_FIRST_PERSON_SPEAKER = re.compile(r"\b(?:i|i'm|im|i am|we|we're)\s+(?:\w+\s+)?$", re.IGNORECASE)
_MENTION = re.compile(
    r"\b(?:the|that|this|a|his|her|their|your|such)\s+(?:word|words|term|terms|slur|slurs|"
    r"insult|insults|label|epithet|expression|phrase|name)s?\s*[\"“'‘]?\s*$"
    r"|\b(?:words?|terms?|slurs?|insults?)\s+(?:like|such as)\s*[\"“'‘]?\s*$",
    re.IGNORECASE,
)
_MENTION_AFTER = re.compile(
    r"^\s*[\"”'’]?\s*(?:is|are|was|were)\s+(?:a|an|the)?\s*(?:word|term|slur|insult|"
    r"offensive|racist|sexist|homophobic|derogatory|hurtful|unacceptable|not ok|never ok)\b",
    re.IGNORECASE,
)
# Disapproval of the word or of people who use it, in the hit's sentence.
_COUNTER = re.compile(
    r"\b(?:is|are|was|it's|its|that's)\s+(?:so\s+|just\s+|really\s+|simply\s+)?(?:wrong|"
    r"unacceptable|not (?:ok|okay|acceptable|funny|cool|fine)|never (?:ok|okay|acceptable)|"
    r"offensive|hateful|disgusting|shameful|bigoted|racist|sexist|homophobic|transphobic|"
    r"hurtful|vile|abhorrent|out of line|uncalled for)\b"
    r"|\bhas no place\b|\bhave no place\b|\bno place for\b"
    r"|\b(?:stop|quit|don'?t|do not|never|shouldn'?t|should not|mustn'?t|won'?t|will not|"
    r"can'?t|cannot|not)\s+(?:be\s+)?(?:call(?:ing)?|use|using|say(?:ing)?|tolerate|accept)\b"
    r"|\b(?:condemn|condemns|condemned|reported (?:him|her|them|it)|apologi[sz]ed? for)\b"
    r"|\b(?:bigot|bigots|bigoted|bigotry|prejudice|prejudiced|hate speech)\b"
    r"|\breport (?:it|this|them)\b"
    r"|\b(?:not|never|won'?t|will not) (?:tolerate|accept|stand for)\b",
    re.IGNORECASE,
)
_QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("«", "»"))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding ``text[start:end]``."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return begin, after.start() if after else len(text)


def _is_name(text: str, start: int, end: int, word: str) -> bool:
    written = text[start:end]
    if word not in NAME_LIKE or not _TITLE_WORD.match(written):
        return False
    if _HONORIFIC.search(text[:start]):
        return True
    before = _WORD.findall(text[max(0, start - 40) : start])
    after = _WORD.findall(text[end : end + 40])
    next_title = bool(after) and bool(_TITLE_WORD.match(after[0]))
    gap = text[end : end + 2]
    prev_title = (
        bool(before)
        and bool(_TITLE_WORD.match(before[-1]))
        and not re.search(r"[.!?]\s*$", text[: start - len(before[-1]) - 1] or ".")
    )
    return (next_title and not gap.startswith((",", ".", "!", "?"))) or prev_title


def _is_quoted(text: str, start: int, end: int) -> bool:
    for opening, closing in _QUOTE_PAIRS:
        head = text[:start]
        if opening == closing:
            inside = head.count(opening) % 2 == 1
        else:
            inside = head.rfind(opening) > head.rfind(closing)
        if inside and closing in text[end:]:
            return True
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    return before in ("'", "‘") and after in ("'", "’")


def _disapproves(sentence: str) -> bool:
    """A disapproval in the sentence not aimed at the reader ("you are wrong" is no counter)."""
    for match in _COUNTER.finditer(sentence):
        if not _AT_READER.search(sentence[max(0, match.start() - 12) : match.start()]):
            return True
    return False


def context_of(text: str, start: int, end: int, word: str) -> Context | None:
    """Why the hit ``text[start:end]`` (listed as ``word``) is not abuse on its own, or None."""
    word = word.strip("*").lower()
    if _is_name(text, start, end, word):
        return Context.NAME
    window = text[max(0, start - 30) : end + 30].lower()
    for phrase in _PHRASES.finditer(window):
        offset = max(0, start - 30)
        if phrase.start() + offset <= start and end <= phrase.end() + offset:
            return Context.PHRASE
    s_begin, s_end = _sentence(text, start, end)
    before = text[s_begin:start]
    if _MENTION.search(before) or _MENTION_AFTER.match(text[end:s_end]):
        return Context.MENTIONED
    if _is_quoted(text, start, end):
        return Context.QUOTED
    if _AT_READER.search(text[max(s_begin, start - 24) : start]):
        return None  # "you idiot", "you're a moron": aimed at someone, whatever follows
    sentence = text[s_begin:s_end]
    reporting = _REPORTING.search(before)
    if reporting and not _AT_READER.search(reporting.group(1) or ""):
        speaker = before[: reporting.start()]
        if not _FIRST_PERSON_SPEAKER.search(speaker) or _disapproves(sentence):
            return Context.REPORTED
    if _disapproves(sentence):
        return Context.COUNTER
    return None


_QUOTATION = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|«[^»]{3,}»")


def without_counter_quotes(text: str) -> str | None:
    """The comment without its quotations, if what surrounds them disapproves of them.

    'He said "X are vermin", which is disgusting' quotes hate to reject it: the model should
    read the writer's own words, not the quotation. Returns None when there is no quotation
    or nothing outside it disapproves (then the whole comment is scored as usual).
    """
    if '"' not in text and "“" not in text and "«" not in text:
        return None
    outside = _QUOTATION.sub(" ", text)
    if outside == text or not _disapproves(outside):
        return None
    return outside
