"""Deterministic benchmark data: the same stories and comments for every target.

Every target (Isso, Belowline on SQLite, Belowline on PostgreSQL) seeds from this module,
so "the 10,000-comment story" means the same texts, authors, nesting and timestamps
everywhere. Nothing here knows about any target's schema.

Shape of the data:

* ``hot``: one story with 10,000 comments, about 40% top-level and 60% replies. Replies
  follow a heavy-tailed popularity so some top-level comments carry dozens of replies and
  most carry none. Replies point at a top-level comment (one level of nesting, which is all
  Isso keeps); a target with deeper threads may re-parent some replies onto other replies
  via :attr:`SeedComment.reply_to_reply`.
* ``medium``: one story with 50 comments.
* ``small-00`` .. ``small-19``: 20 small stories (0 to 30 comments) for the counts call.
* ``post-target``: a story with 3 comments that the posting scenario writes to, so that the
  read scenarios are not disturbed by what the writes add.

Texts have news-comment lengths (median about 250 characters, a long tail to about
2,500) and about a third use some Markdown: emphasis, links, quotes, lists, paragraphs.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

HOT_STORY = "hot"
MEDIUM_STORY = "medium"
POST_STORY = "post-target"
SMALL_STORIES = tuple(f"small-{i:02d}" for i in range(20))

HOT_COUNT = 10_000
MEDIUM_COUNT = 50
POST_STORY_COUNT = 3

# Story timestamps start here (2025-01-06T00:00:00Z), a comment every ~20 s on average.
BASE_TIME = 1_736_121_600.0

_WORD_TEXT = (
    "the council said budget vote tonight residents school road housing plan mayor "
    "people think really never always should would could because article story "
    "report numbers tax rates years ago local paper reporter question answer point "
    "fair agree disagree wrong right evidence source data city town county state "
    "national government policy election candidate voters turnout bus train traffic "
    "parking climate flood water energy prices rent wages jobs hospital doctors "
    "nurses police court judge law rules community meeting public record statement "
    "spokesperson interesting important missing context detail history decade change "
    "support oppose problem solution cost money spend save children parents teachers "
    "students"
)
_WORDS = tuple(_WORD_TEXT.split())

_LINKS = (
    "https://example.org/report/2024-budget",
    "https://example.com/data/census-table-7",
    "https://example.net/council/minutes",
)


@dataclass(frozen=True, slots=True)
class SeedComment:
    """One comment, target-neutral.

    ``index`` is the position within its story (0-based, creation order). ``parent`` is the
    ``index`` of a top-level comment in the same story, or ``None`` for a top-level comment.
    ``reply_to_reply`` optionally names an earlier reply under the same top-level comment,
    for targets that keep deeper nesting (Isso ignores it).
    """

    story: str
    index: int
    parent: int | None
    reply_to_reply: int | None
    author: str
    email: str
    remote_addr: str
    text: str
    created: float


@dataclass(frozen=True, slots=True)
class SeedStory:
    key: str
    title: str
    path: str
    comment_count: int


def _sentence(rng: random.Random) -> str:
    n = rng.randint(5, 18)
    words = [rng.choice(_WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....?!")


def _paragraph(rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    size = 0
    while size < chars:
        s = _sentence(rng)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)


def _text(rng: random.Random) -> str:
    # Log-normal length: median ~250 chars, long tail, capped like a real form would.
    target = int(min(2_500, max(20, rng.lognormvariate(5.5, 0.8))))
    body = _paragraph(rng, target)
    roll = rng.random()
    if roll < 0.10:
        words = body.split(" ")
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*" if rng.random() < 0.5 else f"**{words[i]}**"
        body = " ".join(words)
    elif roll < 0.17:
        body = f"{body} See [the source]({rng.choice(_LINKS)})."
    elif roll < 0.24:
        body = f"> {_sentence(rng)}\n\n{body}"
    elif roll < 0.29:
        items = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4)))
        body = f"{body}\n\n{items}"
    elif roll < 0.36 and target > 400:
        half = len(body) // 2
        cut = body.find(". ", half)
        if cut > 0:
            body = body[: cut + 1] + "\n\n" + body[cut + 2 :]
    return body


def _comments(story: str, count: int, seed: int, start: float) -> Iterator[SeedComment]:
    rng = random.Random(seed)
    top_level: list[int] = []
    weights: list[float] = []
    replies_under: dict[int, list[int]] = {}
    created = start
    for index in range(count):
        created += rng.expovariate(1 / 20.0)
        author_no = int(rng.paretovariate(1.2)) % 2_000
        parent: int | None = None
        reply_to_reply: int | None = None
        if top_level and rng.random() < 0.6:
            parent = rng.choices(top_level, weights=weights, k=1)[0]
            siblings = replies_under.setdefault(parent, [])
            if siblings and rng.random() < 0.3:
                reply_to_reply = rng.choice(siblings)
            siblings.append(index)
        else:
            top_level.append(index)
            weights.append(rng.paretovariate(1.1))
        yield SeedComment(
            story=story,
            index=index,
            parent=parent,
            reply_to_reply=reply_to_reply,
            author=f"Reader {author_no}",
            email=f"reader{author_no}@example.com",
            remote_addr=f"10.{author_no % 250}.{author_no // 250}.0",
            text=_text(rng),
            created=created,
        )


def stories() -> list[SeedStory]:
    """All benchmark stories with their comment counts (small stories: 0..30 comments)."""
    rng = random.Random(7)
    out = [
        SeedStory(
            HOT_STORY, "Council passes budget after all-night session", "/news/hot", HOT_COUNT
        ),
        SeedStory(MEDIUM_STORY, "New bus timetable from Monday", "/news/medium", MEDIUM_COUNT),
        SeedStory(POST_STORY, "Letters to the editor", "/news/post-target", POST_STORY_COUNT),
    ]
    for key in SMALL_STORIES:
        out.append(SeedStory(key, f"Local brief {key}", f"/news/{key}", rng.randint(0, 30)))
    return out


def comments(story: SeedStory) -> Iterator[SeedComment]:
    """The comments of ``story`` in creation order (deterministic)."""
    seed = sum(ord(c) * 31**i for i, c in enumerate(story.key)) % 2**31
    return _comments(story.key, story.comment_count, seed, BASE_TIME)


def post_body_text(seq: str = "{{seq}}") -> str:
    """A realistic comment text for the posting scenario; ``seq`` makes each post unique."""
    return (
        "Thanks for covering this. The *numbers* in the third paragraph do not match the "
        "council's own report, see [the minutes](https://example.net/council/minutes). "
        f"Could you check them? (ref {seq})"
    )
