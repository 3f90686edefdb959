"""Plan a story's discussion: who says what, when, in reply to whom, and what became of it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from belowline.accounts.models import User
from belowline.comments.models import CommentStatus
from belowline.demo import voices
from belowline.demo.content import Article

MAX_DEPTH = 5


@dataclass
class Draft:
    """One comment before it is written to the database."""

    author: User
    body: str
    created_at: datetime
    parent: Draft | None = None
    depth: int = 0
    status: str = CommentStatus.PUBLISHED
    rule: str | None = None
    edited_at: datetime | None = None
    original_body: str | None = None
    amended_from: str | None = None
    featured: bool = False


class _Deck:
    """Deal lines without repeating any until all have been used once."""

    def __init__(self, lines: tuple[str, ...], rng: random.Random) -> None:
        self.lines = list(lines)
        self.rng = rng
        self.left: list[str] = []
        self.rounds = 0

    def draw(self) -> str:
        if not self.left:
            self.rounds += 1
            self.left = self.lines[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


def _times(start: datetime, now: datetime, n: int, rng: random.Random) -> list[datetime]:
    """Busy soon after publication, tailing off: how a news story's comments arrive."""
    begin = start + timedelta(minutes=8)
    span = max((now - timedelta(minutes=4) - begin).total_seconds(), 60.0)
    return sorted(begin + timedelta(seconds=span * rng.random() ** 1.7) for _ in range(n))


def _pick_author(commenters: list[User], rng: random.Random, avoid: int | None) -> User:
    # A few regulars write most comments, as on every real site.
    weights = [1.0 / (1 + i % 13) for i in range(len(commenters))]
    for _ in range(5):
        user = rng.choices(commenters, weights)[0]
        if user.id != avoid:
            return user
    return commenters[0] if commenters[0].id != avoid else commenters[1]


def _pick_parent(drafts: list[Draft], rng: random.Random) -> int | None:
    """Reply to something recent more often than something old; favour live sub-threads."""
    if not drafts or rng.random() < 0.36:
        return None
    candidates = [i for i, d in enumerate(drafts) if d.depth < MAX_DEPTH]
    recent = candidates[-25:]
    weights = [(1.0 + 0.05 * k) / (1 + 0.6 * drafts[i].depth) for k, i in enumerate(recent)]
    return rng.choices(recent, weights)[0]


def _first_name(user: User) -> str:
    return user.display_name.split()[0]


def plan_story(
    article: Article,
    *,
    commenters: list[User],
    start: datetime,
    now: datetime,
    rng: random.Random,
    story_index: int,
) -> list[Draft]:
    """The drafts for one story, parents always before their replies."""
    topic = voices.TOPICS[article.slug]
    points = _Deck(topic["points"], rng)
    replies = _Deck(topic["replies"] + voices.GENERIC_REPLIES, rng)
    openers = _Deck(voices.OPENERS, rng)
    tails = _Deck(voices.TAILS, rng)
    drafts: list[Draft] = []
    for at in _times(start, now, article.comments, rng):
        parent = _pick_parent(drafts, rng)
        if parent is None:
            author = _pick_author(commenters, rng, None)
            body = points.draw()
            if points.rounds > 1 or rng.random() < 0.25:
                body = f"{body} {tails.draw()}"
            drafts.append(Draft(author=author, body=body, created_at=at))
            continue
        above = drafts[parent]
        author = _pick_author(commenters, rng, above.author.id)
        roll = rng.random()
        if roll < 0.3:
            body = f"{openers.draw()} {replies.draw()}"
        elif roll < 0.45:
            line = replies.draw()
            body = f"{_first_name(above.author)}, {line[0].lower()}{line[1:]}"
        elif roll < 0.6:
            body = f"{openers.draw()} {points.draw()}"
        else:
            body = replies.draw()
        drafts.append(
            Draft(
                author=author,
                body=body,
                created_at=max(at, above.created_at + timedelta(minutes=rng.randint(1, 20))),
                parent=above,
                depth=above.depth + 1,
            )
        )
    drafts.sort(key=lambda d: d.created_at)  # a reply is always later than its parent
    _give_fates(drafts, rng, story_index, now)
    return drafts


def _give_fates(drafts: list[Draft], rng: random.Random, story_index: int, now: datetime) -> None:
    """Some comments were edited, deleted by their author, removed or amended by a moderator."""
    ordinary = [i for i, d in enumerate(drafts) if d.status == CommentStatus.PUBLISHED]
    if len(ordinary) < 30:
        return
    chosen = rng.sample(ordinary, 8)
    removed_here = voices.REMOVED[story_index] if story_index < len(voices.REMOVED) else None
    if removed_here is not None:
        d = drafts[chosen[0]]
        d.rule, d.body = removed_here
        d.status = CommentStatus.REMOVED
    for i in chosen[1:3]:
        drafts[i].status = CommentStatus.DELETED
    for k, i in enumerate(chosen[3:5]):
        d = drafts[i]
        d.original_body = d.body
        d.body = f"{d.body}\n\n{voices.EDITS[(story_index + k) % len(voices.EDITS)]}"
        d.edited_at = min(now, d.created_at + timedelta(minutes=rng.randint(1, 4)))
    if story_index == 1:
        d = drafts[chosen[5]]
        d.amended_from = f"{d.body} My neighbour, who works on ward 7, says the same."
        d.body = f"{d.body} {voices.MODERATOR_AMENDED}"
        d.edited_at = min(now, d.created_at + timedelta(hours=2))
    if story_index == 0:
        tops = [i for i in chosen[5:] if drafts[i].depth == 0] or [chosen[5]]
        for i in tops[:2]:
            drafts[i].featured = True
