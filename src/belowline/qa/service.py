"""Q&A mode's rules: an editor switches a story to Q&A, names its experts and assigns questions;
a designated expert answers a question once, and the answer is published at once (as Coral does).

Questions are the story's top-level comments, asked through the ordinary comment form; a question
has a `qa_questions` row only once it is assigned or answered. Closing the Q&A closes the story
to new comments, so the post path needs no Q&A check of its own. Every change bumps the story's
version (cached thread pages never outlive it) and is on the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.comments.models import Comment, CommentStatus
from belowline.errors import Conflict, ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.i18n.readers import text_for
from belowline.ids import MAX_ROW_ID
from belowline.mail.service import MailCategory, queue_email
from belowline.permissions import require
from belowline.qa.models import QaExpert, QaMode, QaQuestion, QaStory
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story


def qa_of(session: Session, *, story: Story) -> QaStory | None:
    """The story's Q&A row, or None if it never was in Q&A mode."""
    return session.get(QaStory, story.id)


def mode_of(session: Session, *, story: Story) -> QaMode:
    row = qa_of(session, story=story)
    return QaMode(row.mode) if row is not None else QaMode.OFF


def expert_ids(session: Session, *, story_id: int) -> set[int]:
    return set(session.scalars(select(QaExpert.user_id).where(QaExpert.story_id == story_id)))


def experts(session: Session, *, story_id: int) -> list[User]:
    """The story's designated experts, in the order they were named."""
    return list(
        session.scalars(
            select(User)
            .join(QaExpert, QaExpert.user_id == User.id)
            .where(QaExpert.story_id == story_id)
            .order_by(QaExpert.added_at, User.id)
        )
    )


def set_mode(
    session: Session, *, actor: User | None, site_id: str, story_id: str, mode: str, now: datetime
) -> QaStory:
    """Open, close or switch off a story's Q&A (actor None: the operator's command line)."""
    if actor is not None:
        require(permissions.can_run_qa, actor, site_id)
    try:
        wanted = QaMode(mode)
    except ValueError:
        raise InvalidInput(
            "The mode is one of open, closed or off.", code=ErrorCode.VALIDATION_ERROR, field="mode"
        ) from None
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    row = qa_of(session, story=story)
    if row is None:
        row = QaStory(story_id=story.id, site_id=site_id, mode=QaMode.OFF, changed_at=now)
        if wanted == QaMode.OFF:
            return row  # never in Q&A mode: nothing to switch off, nothing written
        session.add(row)
    if row.mode == wanted:
        return row
    row.mode = wanted
    row.changed_at = now
    row.changed_by = actor.id if actor is not None else None
    if wanted == QaMode.OPEN:
        story.closed = False
    elif wanted == QaMode.CLOSED:
        story.closed = True
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action=f"qa.{wanted.value}",
        target_type="story",
        target_id=story.external_id,
        now=now,
    )
    session.flush()
    return row


def _site_user(session: Session, *, site_id: str, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.site_id != site_id or user.deactivated_at is not None:
        raise NotFound("No such person on this site.", code=ErrorCode.USER_NOT_FOUND)
    return user


def add_expert(
    session: Session,
    *,
    actor: User | None,
    site_id: str,
    story_id: str,
    user_id: int,
    now: datetime,
) -> User:
    """Name someone an expert for one story; they are told by email (once)."""
    if actor is not None:
        require(permissions.can_run_qa, actor, site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    user = _site_user(session, site_id=site_id, user_id=user_id)
    if session.get(QaExpert, (story.id, user.id)) is not None:
        return user
    session.add(
        QaExpert(
            story_id=story.id,
            user_id=user.id,
            added_by=actor.id if actor else None,
            added_at=now,
        )
    )
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="qa.expert_add",
        target_type="user",
        target_id=user.id,
        note=story.external_id,
        now=now,
    )
    if user.email:
        site = session.get(Site, site_id)
        t = text_for(user, site)
        name = story.title or story.external_id
        where = (
            t(
                "Readers' questions are below the story: %(url)s. Sign in there to answer them.",
                url=story.url,
            )
            if story.url
            else t("Readers' questions are below the story. Sign in there to answer them.")
        )
        queue_email(
            session,
            site_id=site_id,
            to=user.email,
            subject=t("You are answering readers' questions on %(story)s", story=name),
            text=t(
                "%(site)s has named you an expert for the Q&A on “%(story)s”.",
                site=site.name if site else site_id,
                story=name,
            )
            + "\n\n"
            + where,
            now=now,
            category=MailCategory.INVITATION,
            user_id=user.id,
            locale=t.locale,
        )
    session.flush()
    return user


def remove_expert(
    session: Session,
    *,
    actor: User | None,
    site_id: str,
    story_id: str,
    user_id: int,
    now: datetime,
) -> None:
    """Take someone off a story's experts; the questions assigned to them go back unassigned."""
    if actor is not None:
        require(permissions.can_run_qa, actor, site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    row = session.get(QaExpert, (story.id, user_id))
    if row is None:
        return
    session.delete(row)
    session.execute(
        update(QaQuestion)
        .where(QaQuestion.story_id == story.id, QaQuestion.assignee_id == user_id)
        .values(assignee_id=None, assigned_by=None, assigned_at=None)
    )
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="qa.expert_remove",
        target_type="user",
        target_id=user_id,
        note=story.external_id,
        now=now,
    )
    session.flush()


def _question(
    session: Session, *, comment_id: int, site_id: str | None
) -> tuple[Comment, Story, QaStory]:
    """A top-level comment of the site on a story in Q&A mode (open or closed)."""
    comment, story = comments_service.get_comment(session, comment_id=comment_id)
    if site_id is not None and comment.site_id != site_id:
        raise NotFound("No such comment.", code=ErrorCode.COMMENT_NOT_FOUND)
    qa = qa_of(session, story=story)
    if qa is None or qa.mode == QaMode.OFF:
        raise Conflict("This story is not in Q&A mode.", code=ErrorCode.QA_NOT_ENABLED)
    if comment.parent_id is not None:
        raise Conflict("Only a top-level comment is a question.", code=ErrorCode.NOT_A_QUESTION)
    return comment, story, qa


def _row(session: Session, comment: Comment) -> QaQuestion:
    row = session.get(QaQuestion, comment.id)
    if row is None:
        row = QaQuestion(comment_id=comment.id, story_id=comment.story_id)
        session.add(row)
    return row


def assign(
    session: Session,
    *,
    actor: User | None,
    question_id: int,
    expert_id: int | None,
    now: datetime,
    site_id: str | None = None,
) -> tuple[QaQuestion, Comment, Story]:
    """Give a question to one of the story's experts (None: take it back); the expert is told."""
    if actor is not None:
        comment, _ = comments_service.get_comment(session, comment_id=question_id)
        require(permissions.can_run_qa, actor, comment.site_id)
    comment, story, _ = _question(session, comment_id=question_id, site_id=site_id)
    if expert_id is not None and expert_id not in expert_ids(session, story_id=story.id):
        raise InvalidInput(
            "That person is not one of this story's experts.",
            code=ErrorCode.NOT_AN_EXPERT,
            field="expert_id",
        )
    row = _row(session, comment)
    if row.assignee_id == expert_id:
        return row, comment, story
    row.assignee_id = expert_id
    row.assigned_by = actor.id if actor is not None and expert_id is not None else None
    row.assigned_at = now if expert_id is not None else None
    audit.write(
        session,
        site_id=comment.site_id,
        actor=actor,
        action="qa.assign" if expert_id is not None else "qa.unassign",
        target_type="comment",
        target_id=comment.id,
        note=f"expert {expert_id}" if expert_id is not None else None,
        now=now,
    )
    expert = session.get(User, expert_id) if expert_id is not None else None
    if expert is not None and expert.email:
        t = text_for(expert, session.get(Site, comment.site_id))
        queue_email(
            session,
            site_id=comment.site_id,
            to=expert.email,
            subject=t(
                "A reader's question for you on %(story)s", story=story.title or story.external_id
            ),
            text=t(
                "A reader asked:\n\n%(question)s\n\n%(url)s",
                question=comment.body_md[:1000],
                url=story.url or "",
            ).rstrip(),
            now=now,
            category=MailCategory.INVITATION,
            user_id=expert.id,
            locale=t.locale,
        )
    session.flush()
    return row, comment, story


def answer(
    session: Session,
    *,
    actor: User,
    site: Site,
    question_id: int,
    body: str,
    now: datetime,
    accept_terms_version: int | None = None,
) -> tuple[QaQuestion, Comment, Comment, Story]:
    """An expert answers a question: a reply, published at once, shown under the question."""
    question, story, qa = _question(session, comment_id=question_id, site_id=site.id)
    if not permissions.can_answer_question(actor, expert_ids(session, story_id=story.id)):
        raise Forbidden("Only this story's experts can answer.", code=ErrorCode.FORBIDDEN)
    if qa.mode == QaMode.CLOSED:
        raise Conflict("This Q&A is closed.", code=ErrorCode.QA_CLOSED)
    if question.status != CommentStatus.PUBLISHED:
        raise NotFound("The question is not available.", code=ErrorCode.COMMENT_NOT_FOUND)
    row = _row(session, question)
    if row.answer_id is not None:
        previous = session.get(Comment, row.answer_id)
        if previous is not None and previous.status == CommentStatus.PUBLISHED:
            raise Conflict("This question already has an answer.", code=ErrorCode.ALREADY_ANSWERED)
    reply = comments_service.post_comment(
        session,
        site=site,
        story=story,
        author=actor,
        body=body,
        parent_id=question.id,
        accept_terms_version=accept_terms_version,
        now=now,
        policy=_expert_policy,
    )
    row.answer_id = reply.id
    row.answered_at = now
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=site.id,
        actor=actor,
        action="qa.answer",
        target_type="comment",
        target_id=question.id,
        note=f"answer {reply.id}",
        now=now,
    )
    session.flush()
    return row, question, reply, story


def _expert_policy(
    session: Session,  # noqa: ARG001 - the PostPolicy signature
    comment: Comment,  # noqa: ARG001
    story: Story,  # noqa: ARG001
    author: User,  # noqa: ARG001
    now: datetime,  # noqa: ARG001
) -> None:
    """A designated expert's answer is published at once (sanctions were checked already)."""
    return None


def find_person(session: Session, *, site_id: str, who: str) -> User:
    """A person of the site by email address or user id (the dashboard's and CLI's "who")."""
    text = who.strip()
    user = None
    if text.isdigit() and 0 < int(text) <= MAX_ROW_ID:
        user = session.get(User, int(text))
    elif "@" in text and len(text) <= 320:
        user = session.scalar(
            select(User).where(User.site_id == site_id, func.lower(User.email) == text.lower())
        )
    if user is None or user.site_id != site_id:
        raise NotFound(
            "Nobody on this site has that email address or id.", code=ErrorCode.USER_NOT_FOUND
        )
    return user
