"""Spam: links and link density, repeated text, bursts of posts and known spam shapes.

Each signal gives a probability-like strength; they combine as a noisy-or
(``1 - prod(1 - s)``), so two moderate signals make a strong one and none can exceed 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from belowline.triage.normalise import fold

__all__ = ["SpamResult", "count_links", "score_spam"]

REPEAT_SIMILARITY = 0.8
BURST_WINDOW_S = 600.0
BURST_POSTS = 5
FAST_WINDOW_S = 60.0
FAST_POSTS = 3

_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|co|ly|me|tv|xyz|"
    r"top|club|online|site|shop|ru|cn|uk|de)\b(?:/\S*)?",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+")
# A cheap test every link passes (run on lowercased text): most comments have none, and the
# full pattern costs about a millisecond on a long comment.
_LINK_HINT = re.compile(r"https?://|www\.|\.(?:com|net|org|info|biz|io|co|ly|me|tv|xyz|top|club|"
                        r"online|site|shop|ru|cn|uk|de)\b")  # fmt: skip
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class _Clues:
    """What the shape gates look at, worked out once per comment."""

    low: str
    digit: bool

    def has(self, *words: str) -> bool:
        return any(map(self.low.__contains__, words))

    def long_token(self) -> bool:
        return any(len(t) >= 26 for t in self.low.split())


# Each shape: name, pattern, weight and a gate, a necessary condition (a word the pattern
# cannot match without, or a digit) checked with ``in`` before the pattern runs: the patterns
# cost 0.2-2 ms each on a long comment, the gates microseconds.
_SHAPES: tuple[tuple[str, re.Pattern[str], float, Callable[[_Clues], bool]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), weight, gate)
    for name, pattern, weight, gate in (
        ("self-promotion", r"\b(?:check|visit|see)\s+(?:out\s+)?(?:my|our)\s+"
         r"(?:channel|page|profile|video|blog|site|website|music|shop|store)", 0.6,
         lambda c: c.has("check", "visit", "see")
         and c.has("channel", "page", "profile", "video", "blog", "site", "music", "shop",
                   "store")),
        ("asks for subscribers", r"\bsub(?:scribe)?\s*(?:to\s+)?(?:me|my|our)\b"
         r"|\bsubscribe\b.{0,40}\b(?:like|channel)\b|\bfollow\s+me\b", 0.5,
         lambda c: c.has("sub", "follow")),
        ("money offer", r"(?:earn|make|making|made)\s+(?:up\s+to\s+)?[$£€]?\s?\d[\d,.]*\s*k?\s*"
         r"(?:dollars|pounds|usd|gbp|a\s+day|a\s+week|a\s+month|per\s+(?:day|week|month|hour)"
         r"|weekly|monthly|daily)?"
         r"|\b(?:work|earn|money)\s+(?:from|at)\s+home\b|\bmake\s+money\b"
         r"|\bpassive\s+income\b", 0.6,
         lambda c: (c.digit and c.has("earn", "make", "making", "made"))
         or c.has("home", "money", "passive")),
        ("crypto or investment pitch", r"\b(?:bitcoin|btc|crypto|forex|binary\s+options?|"
         r"nft)\b.{0,60}\b(?:profit|invest|returns?|earn|trading|signals?|double)\b"
         r"|\b(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,39}\b|\b0x[a-fA-F0-9]{40}\b", 0.6,
         lambda c: c.has("bitcoin", "btc", "crypto", "forex", "binary", "nft")
         or (c.digit and c.long_token())),
        ("phone number", r"(?<![\w.])\+?\d[\d\s().-]{8,}\d(?![\w.])", 0.4,
         lambda c: c.digit),
        ("contact off-site", r"\b(?:whats\s?app|telegram|dm\s+me|inbox\s+me|text\s+me|"
         r"contact\s+me)\b|[\w.+-]+@[\w-]+\.[\w.]+", 0.4,
         lambda c: "@" in c.low or c.has("whats", "telegram", "dm", "inbox", "text", "contact")),
        ("click-bait call", r"\bclick\s+(?:here|the\s+link|my\s+name|below)\b"
         r"|\blink\s+in\s+(?:my\s+)?bio\b|\bfree\s+(?:gift|money|iphone|followers)\b", 0.5,
         lambda c: (c.has("click") and c.has("here", "link", "name", "below"))
         or (c.has("link") and c.has("bio"))
         or (c.has("free") and c.has("gift", "money", "iphone", "followers"))),
    )
)  # fmt: skip


def count_links(text: str) -> int:
    """Number of links (URLs, ``www.`` addresses and bare domains) in ``text``."""
    if not _LINK_HINT.search(text.lower()):
        return 0
    return len(_LINK.findall(text))


@lru_cache(maxsize=256)
def _shingles(text: str) -> frozenset[str]:
    """A text's 5-character shingles; an author's recent comments recur from post to post.

    256 texts: a long comment's set is up to 200 KB, and 1,024 of them grew a worker by 60 MB."""
    flat = " ".join(_WORDS.findall(fold(text).text))
    return frozenset(flat[i : i + 5] for i in range(max(1, len(flat) - 4)))


def _repeats(text: str, recent_texts: Sequence[str]) -> int:
    """How many of ``recent_texts`` are the same text or nearly so."""
    if not recent_texts:  # nothing to compare: skip the shingles (a long comment's cost most)
        return 0
    mine = _shingles(text)
    if len(mine) < 3:  # "Yes." twice is not spam
        return 0
    same = 0
    for other in recent_texts:
        theirs = _shingles(other)
        union = len(mine | theirs)
        if union and len(mine & theirs) / union >= REPEAT_SIMILARITY:
            same += 1
    return same


def _seconds(moment: datetime | float) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else float(moment)


def _burst(
    recent_times: Sequence[datetime | float], now: datetime | float | None
) -> tuple[int, int]:
    """Posts (counting this one) in the last 10 minutes and in the last minute."""
    if not recent_times:
        return 1, 1
    times = [_seconds(t) for t in recent_times]
    end = _seconds(now) if now is not None else max(times)
    in_window = sum(1 for t in times if 0 <= end - t <= BURST_WINDOW_S)
    in_minute = sum(1 for t in times if 0 <= end - t <= FAST_WINDOW_S)
    return in_window + 1, in_minute + 1


@dataclass(frozen=True, slots=True)
class SpamResult:
    """Spam score in [0, 1], the counts behind it and reasons for a moderator."""

    score: float
    links: int
    words: int  # counted only when there are links (for the density); 0 otherwise
    repeats: int
    posts_last_10_min: int
    shapes: tuple[str, ...]
    reasons: tuple[str, ...]


def score_spam(
    text: str,
    *,
    recent_texts: Sequence[str] = (),
    recent_times: Sequence[datetime | float] = (),
    now: datetime | float | None = None,
) -> SpamResult:
    """Score ``text`` for spam given the author's recent comments and their post times.

    ``recent_times`` are datetimes (timezone-aware) or POSIX seconds; ``now`` defaults to the
    latest of them.
    """
    signals: list[float] = []
    reasons: list[str] = []
    links = count_links(text)
    words = 0
    if links:
        words = max(1, len(_WORDS.findall(text)))
        density = links / words
        strength = min(0.95, 0.25 * links + 2.0 * density)
        signals.append(strength)
        if strength >= 0.3:
            noun = "link" if links == 1 else "links"
            reasons.append(f"{links} {noun} in {words} words")
    repeats = _repeats(text, recent_texts)
    if repeats:
        signals.append(min(0.9, 0.5 + 0.2 * (repeats - 1)))
        times = "once" if repeats == 1 else f"{repeats} times"
        reasons.append(f"Repeats the author's recent comment text ({times})")
    in_window, in_minute = _burst(recent_times, now)
    if in_window >= BURST_POSTS or in_minute >= FAST_POSTS:
        signals.append(
            min(0.9, 0.4 + 0.1 * (in_window - BURST_POSTS) + 0.2 * (in_minute >= FAST_POSTS))
        )
        reasons.append(f"Burst of posting: {in_window} comments in 10 minutes")
    clues = _Clues(text.lower(), _DIGIT.search(text) is not None)
    found = [(name, weight) for name, pattern, weight, gate in _SHAPES
             if gate(clues) and pattern.search(text)]  # fmt: skip
    shapes = tuple(name for name, _ in found)
    signals.extend(weight for _, weight in found)
    if shapes:
        reasons.append("Looks like spam: " + ", ".join(shapes))
    remaining = 1.0
    for strength in signals:
        remaining *= 1.0 - strength
    score = 1.0 - remaining
    return SpamResult(score, links, words, repeats, in_window, shapes, tuple(reasons))
