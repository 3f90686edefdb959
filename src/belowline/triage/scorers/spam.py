"""Spam: links and link density, repeated text, bursts of posts and known spam shapes.

Each signal gives a probability-like strength; they combine as a noisy-or
(``1 - prod(1 - s)``), so two moderate signals make a strong one and none can exceed 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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
_SHAPES: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), weight)
    for name, pattern, weight in (
        ("self-promotion", r"\b(?:check|visit|see)\s+(?:out\s+)?(?:my|our)\s+"
         r"(?:channel|page|profile|video|blog|site|website|music|shop|store)", 0.6),
        ("asks for subscribers", r"\bsub(?:scribe)?\s*(?:to\s+)?(?:me|my|our)\b"
         r"|\bsubscribe\b.{0,40}\b(?:like|channel)\b|\bfollow\s+me\b", 0.5),
        ("money offer", r"(?:earn|make|making|made)\s+(?:up\s+to\s+)?[$£€]?\s?\d[\d,.]*\s*k?\s*"
         r"(?:dollars|pounds|usd|gbp|a\s+day|a\s+week|a\s+month|per\s+(?:day|week|month|hour)"
         r"|weekly|monthly|daily)?"
         r"|\b(?:work|earn|money)\s+(?:from|at)\s+home\b|\bmake\s+money\b"
         r"|\bpassive\s+income\b", 0.6),
        ("crypto or investment pitch", r"\b(?:bitcoin|btc|crypto|forex|binary\s+options?|"
         r"nft)\b.{0,60}\b(?:profit|invest|returns?|earn|trading|signals?|double)\b"
         r"|\b(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,39}\b|\b0x[a-fA-F0-9]{40}\b", 0.6),
        ("phone number", r"(?<![\w.])\+?\d[\d\s().-]{8,}\d(?![\w.])", 0.4),
        ("contact off-site", r"\b(?:whats\s?app|telegram|dm\s+me|inbox\s+me|text\s+me|"
         r"contact\s+me)\b|[\w.+-]+@[\w-]+\.[\w.]+", 0.4),
        ("click-bait call", r"\bclick\s+(?:here|the\s+link|my\s+name|below)\b"
         r"|\blink\s+in\s+(?:my\s+)?bio\b|\bfree\s+(?:gift|money|iphone|followers)\b", 0.5),
    )
)  # fmt: skip


def count_links(text: str) -> int:
    """Number of links (URLs, ``www.`` addresses and bare domains) in ``text``."""
    return len(_LINK.findall(text))


def _shingles(text: str) -> set[str]:
    flat = " ".join(_WORDS.findall(fold(text).text))
    return {flat[i : i + 5] for i in range(max(1, len(flat) - 4))}


def _repeats(text: str, recent_texts: Sequence[str]) -> int:
    """How many of ``recent_texts`` are the same text or nearly so."""
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
    words: int
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
    words = max(1, len(_WORDS.findall(text)))
    if links:
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
    shapes = tuple(name for name, pattern, _ in _SHAPES if pattern.search(text))
    for name, _, weight in _SHAPES:
        if name in shapes:
            signals.append(weight)
    if shapes:
        reasons.append("Looks like spam: " + ", ".join(shapes))
    remaining = 1.0
    for strength in signals:
        remaining *= 1.0 - strength
    score = 1.0 - remaining
    return SpamResult(score, links, words, repeats, in_window, shapes, tuple(reasons))
