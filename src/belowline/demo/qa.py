"""The demo's Q&A story: readers' questions on the bridge works, some answered by the experts.

The reporter is an invited expert (a local account, not staff) and the moderator is the other;
three questions have answers, one waits with the reporter, the rest wait for anyone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.rendering import render_markdown
from belowline.qa.models import QaExpert, QaMode, QaQuestion, QaStory
from belowline.stories.models import Story

QA_SLUG = "bridge-works-your-questions"
EXPERT_EMAIL = "megan@demo.test"

# (question, answer or None, who answers: "reporter" | "moderator" | None, assigned to reporter)
QUESTIONS: tuple[tuple[str, str | None, str | None, bool], ...] = (
    (
        "Will the bus routes 12 and 40 still stop at the station while the southbound lane is "
        "closed?",
        "Yes. The diversion keeps both routes calling at the station; the stops on Harbour "
        "Street itself move about 200 metres north to Quay Road for the duration of the works.",
        "reporter",
        False,
    ),
    (
        "How much of the £48m is borrowed, and what will the interest cost each household?",
        "About £18m is borrowed. The council's own figure is £1.1m a year in interest, which "
        "works out at roughly £9 a year for a band D household over the 25-year loan.",
        "reporter",
        False,
    ),
    (
        "Is there a way to comment on the cycle path design before the work starts?",
        "There is: the design goes out for consultation in the spring, online and at the "
        "central library. We will link to it here when it opens.",
        "moderator",
        False,
    ),
    (
        "Why was the scheme not put out to tender again after the cost went up?",
        None,
        None,
        True,
    ),
    (
        "Will there be night works, and will residents on Quay Road be told in advance?",
        None,
        None,
        False,
    ),
    ("What happens to the lorry weight limit if the works run late?", None, None, False),
)


def seed_qa(
    session: Session,
    *,
    story: Story,
    moderator: User,
    askers: list[User],
    password: str,
    now: datetime,
    rng: random.Random,
    next_id: int,
    first_post: dict[int, datetime],
) -> int:
    """Put `story` in Q&A mode with the demo's questions and answers; returns the next id.

    `first_post` (author id → first comment's time) learns each new author, so the seed records
    their acceptance of the rules before it.
    """
    reporter = accounts_service.create_user(
        session,
        site_id=story.site_id,
        email=EXPERT_EMAIL,
        display_name="Megan Holt",
        password=password,
        subscriber=True,
        now=now - timedelta(days=50),
    )
    opened = story.created_at + timedelta(minutes=5)
    session.add(
        QaStory(
            story_id=story.id,
            site_id=story.site_id,
            mode=QaMode.OPEN,
            changed_at=opened,
            changed_by=moderator.id,
        )
    )
    session.add_all(
        QaExpert(story_id=story.id, user_id=u.id, added_by=moderator.id, added_at=opened)
        for u in (reporter, moderator)
    )
    experts = {"reporter": reporter, "moderator": moderator}
    people = rng.sample(askers, len(QUESTIONS))
    span = (now - opened).total_seconds()
    published = 0
    for n, (text, answer, by, assigned) in enumerate(QUESTIONS):
        asked = opened + timedelta(seconds=span * (n + 1) / (len(QUESTIONS) + 2))
        question = _comment(next_id, story, people[n], text, asked, parent=None)
        _first(first_post, people[n].id, asked)
        next_id += 1
        session.add(question)
        session.flush()
        row = QaQuestion(comment_id=question.id, story_id=story.id)
        published += 1
        if assigned:
            row.assignee_id = reporter.id
            row.assigned_by = moderator.id
            row.assigned_at = asked + timedelta(minutes=10)
        if answer is not None and by is not None:
            answered = asked + timedelta(minutes=rng.randint(20, 90))
            reply = _comment(next_id, story, experts[by], answer, answered, parent=question)
            _first(first_post, experts[by].id, answered)
            next_id += 1
            session.add(reply)
            session.flush()
            question.reply_count = 1
            row.answer_id = reply.id
            row.answered_at = answered
            published += 1
        session.add(row)
    story.comment_count += published
    story.version += 1
    session.flush()
    return next_id


def _first(first_post: dict[int, datetime], user_id: int, at: datetime) -> None:
    if user_id not in first_post or at < first_post[user_id]:
        first_post[user_id] = at


def _comment(
    cid: int, story: Story, author: User, text: str, at: datetime, *, parent: Comment | None
) -> Comment:
    return Comment(
        id=cid,
        site_id=story.site_id,
        story_id=story.id,
        parent_id=parent.id if parent else None,
        root_id=parent.id if parent else None,
        depth=1 if parent else 0,
        author_id=author.id,
        status=CommentStatus.PUBLISHED,
        body_md=text,
        body_html=render_markdown(text),
        created_at=at,
        moderator_edited=False,
        featured=False,
        reaction_count=0,
        reply_count=0,
        version=1,
    )
