"""Statements of reasons (DSA Art. 17(3)), sent to the affected user's inbox in the decision's
transaction: (a) the restriction, its scope and duration; (b) the facts, and whether a report
or a notice led to it; (c) whether automated means detected or decided it; (e) the rule, its
version and text, with a link to the rules page; (f) the redress routes (the notice's
`contest`). Each fact is said once; an amendment shows what was changed. A sent statement is
never rewritten (notifications.models refuses changes to its text).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.i18n.readers import N_, ReaderText, text_for
from belowline.mail.readers import email_notice
from belowline.mail.service import MailCategory
from belowline.notifications import service as notifications_service
from belowline.notifications.models import Notification, NotificationKind
from belowline.rules import service as rules_service
from belowline.rules.citations import rule_text, rules_url
from belowline.sanctions.models import Sanction, SanctionKind
from belowline.stories import service as stories_service
from belowline.stories.models import Story

EXCERPT = 140
ENGLISH = ReaderText()

_QUOTED = N_("“%(text)s”")
_UNDECIDED = N_("A decision about your comment")
_DECISION_TITLES: dict[str, str] = {
    DecisionAction.APPROVE: N_("Your comment was approved and published"),
    DecisionAction.AMEND: N_("A moderator edited your comment"),
    DecisionAction.REMOVE: N_("A moderator removed your comment"),
    DecisionAction.RESTORE: N_("Your comment was restored"),
}
# One sentence per action and deciding party: languages do not share a word order.
_DECISION_LINES: dict[tuple[str, bool], str] = {
    (DecisionAction.APPROVE, False): N_(
        "On %(when)s, a moderator approved and published your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.APPROVE, True): N_(
        "On %(when)s, our automated system approved and published your comment on “%(story)s”: "
        "“%(text)s”."
    ),
    (DecisionAction.AMEND, False): N_(
        "On %(when)s, a moderator edited your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.AMEND, True): N_(
        "On %(when)s, our automated system edited your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.REMOVE, False): N_(
        "On %(when)s, a moderator removed your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.REMOVE, True): N_(
        "On %(when)s, our automated system removed your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.RESTORE, False): N_(
        "On %(when)s, a moderator restored your comment on “%(story)s”: “%(text)s”."
    ),
    (DecisionAction.RESTORE, True): N_(
        "On %(when)s, our automated system restored your comment on “%(story)s”: “%(text)s”."
    ),
}
_REVIEWED = {
    False: N_("On %(when)s, a moderator reviewed your comment on “%(story)s”: “%(text)s”."),
    True: N_("On %(when)s, our automated system reviewed your comment on “%(story)s”: “%(text)s”."),
}
_SANCTION_TEXT = {
    SanctionKind.WARN: N_("You have received a warning. Acknowledge it before you post again."),
    SanctionKind.SUSPEND: N_("Your account is suspended from commenting"),
    SanctionKind.BAN: N_("Your account is banned from commenting"),
    SanctionKind.PREMODERATE: N_(
        "Your new comments will be checked by a moderator before they appear"
    ),
}
_SANCTION_TITLES = {
    SanctionKind.WARN: N_("A warning about your comments"),
    SanctionKind.SUSPEND: N_("Your account is suspended"),
    SanctionKind.BAN: N_("Your account is banned"),
    SanctionKind.PREMODERATE: N_("Your comments will be reviewed before they appear"),
}
_SANCTION_NAMES = {
    SanctionKind.WARN: N_("warning"),
    SanctionKind.SUSPEND: N_("suspension"),
    SanctionKind.BAN: N_("ban"),
    SanctionKind.PREMODERATE: N_("pre-moderation"),
}
_QUEUE_DETECTION = {
    "flagged": N_(
        "Automated means: it was flagged by our automated system; a person took this decision."
    ),
    "held": N_(
        "Automated means: it was held by our automated system; a person took this decision."
    ),
}


@dataclass(frozen=True)
class Facts:
    """How the decided comment came to the moderators, and its text before the decision."""

    before: str = ""
    queues: list[str] = field(default_factory=list)
    reports: int = 0
    notice: bool = False


def when(moment: datetime, t: ReaderText = ENGLISH) -> str:
    return t.when(moment)


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def rule_line(
    session: Session,
    *,
    site_id: str,
    key: str | None,
    title: str | None,
    version: int,
    t: ReaderText = ENGLISH,
) -> str:
    """The rule as the statement cites it: title, version, text then in force, and a link."""
    if not key:
        return t("No rule was broken.")
    text = rule_text(session, site_id=site_id, version=version, key=key)
    line = t(
        "The rule: “%(title)s” (community rules, version %(version)s).",
        title=title,
        version=version,
    )
    if text:
        line += " " + t("It says: “%(text)s”", text=" ".join(text.split()))
    url = rules_url(session, site_id=site_id, rule_key=key)
    return line + " " + t("Read the rules: %(url)s", url=url)


def _restriction(action: str, site_name: str, t: ReaderText) -> str | None:
    if action == DecisionAction.REMOVE:
        return t(
            "What this means: the comment is no longer shown to anyone, anywhere %(site)s's "
            "comments appear; a placeholder keeps the replies in place. It stays removed "
            "unless it is restored, for example after a review.",
            site=site_name,
        )
    if action == DecisionAction.AMEND:
        return t(
            "What this means: the edited text replaces yours wherever %(site)s's comments "
            "appear, marked as edited by a moderator. The edit stays unless it is undone, "
            "for example after a review.",
            site=site_name,
        )
    return None


def _source(facts: Facts, t: ReaderText) -> str:
    if facts.notice:
        return t(
            "It came to us through a notice sent to the newsroom "
            "(EU Digital Services Act, Art. 16)."
        )
    if facts.reports:
        return t.plural(
            "It came to us because %(num)s reader reported it.",
            "It came to us because %(num)s readers reported it.",
            facts.reports,
        )
    return t("We found it in our own review; nobody reported it.")


def _automation(decision: Decision, facts: Facts, t: ReaderText) -> str:
    if decision.automated:
        return t("Automated means: our automated system both detected it and decided.")
    detected = next((_QUEUE_DETECTION[q] for q in facts.queues if q in _QUEUE_DETECTION), None)
    if detected:
        return t(detected)
    return t("Automated means: none — a person found it and took this decision.")


def changes(before: str, after: str, t: ReaderText = ENGLISH) -> str:
    """What an amendment changed, word by word: the removed and the added passages."""
    a, b = before.split(), after.split()
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace"):
            added.append(" ".join(b[j1:j2]))
    gone = "; ".join(t(_QUOTED, text=excerpt(r)) for r in removed)
    new = "; ".join(t(_QUOTED, text=excerpt(x)) for x in added)
    if removed and added:
        return t(
            "What was changed: removed %(removed)s, and added %(added)s.", removed=gone, added=new
        )
    if removed:
        return t("What was changed: removed %(removed)s.", removed=gone)
    if added:
        return t("What was changed: added %(added)s.", added=new)
    return t("What was changed: the layout only.")


def for_decision(
    session: Session,
    *,
    decision: Decision,
    comment: Comment,
    story: Story,
    facts: Facts | None = None,
) -> Notification:
    """Tell a comment's author what was decided about it, why, and how to contest it."""
    facts = facts or Facts(before=comment.body_md)
    action = decision.action
    original = excerpt(facts.before or comment.body_md)
    site = stories_service.get_site(session, site_id=decision.site_id)
    t = text_for(session.get(User, decision.author_id), site)
    opening = _DECISION_LINES.get((action, decision.automated), _REVIEWED[decision.automated])
    lines = [
        t(
            opening,
            when=t.when(decision.created_at),
            story=story.title or story.external_id,
            text=original,
        ),
    ]
    if action == DecisionAction.AMEND:
        lines.append(changes(facts.before, comment.body_md, t))
    restriction = _restriction(action, site.name, t)
    if restriction:
        lines.append(restriction)
    lines.append(_source(facts, t))
    lines.append(_automation(decision, facts, t))
    lines.append(
        rule_line(
            session,
            site_id=decision.site_id,
            key=decision.rule_key,
            title=decision.rule_title,
            version=decision.rules_version,
            t=t,
        )
    )
    if decision.message_to_author:
        lines.append(
            t("Message from the moderators: %(message)s", message=decision.message_to_author)
        )
    note = notifications_service.notify(
        session,
        user_id=decision.author_id,
        site_id=decision.site_id,
        kind=NotificationKind.DECISION,
        title=t(_DECISION_TITLES.get(action, _UNDECIDED)),
        body="\n".join(lines),
        now=decision.created_at,
        comment_id=comment.id,
        decision_id=decision.id,
        action=action,
        rule_key=decision.rule_key,
        rule_title=decision.rule_title,
        automated=decision.automated,
        contestable=action not in (DecisionAction.APPROVE, DecisionAction.RESTORE),
        locale=t.locale,
    )
    email_notice(session, note=note, category=MailCategory.DECISION, now=decision.created_at)
    return note


def _headline(sanction: Sanction, t: ReaderText) -> str:
    kind = SanctionKind(sanction.kind)
    if kind == SanctionKind.WARN:
        return t(_SANCTION_TEXT[kind])
    if sanction.until:
        return t(_SANCTION_TEXT[kind]) + " " + t("until %(until)s.", until=t.when(sanction.until))
    return t(_SANCTION_TEXT[kind]) + t(
        ", with no end date, unless it is lifted (for example after a review)."
    )


def for_sanction(session: Session, *, sanction: Sanction) -> Notification:
    """Tell a user about a sanction on their account: what, how long, why, and how to contest."""
    kind = SanctionKind(sanction.kind)
    site = stories_service.get_site(session, site_id=sanction.site_id)
    t = text_for(session.get(User, sanction.user_id), site)
    decided = (
        N_("Decided on %(when)s by our automated system (automated means decided it).")
        if sanction.automated
        else N_("Decided on %(when)s by a moderator (a person decided).")
    )
    lines = [
        _headline(sanction, t),
        t("It applies to your account on %(site)s, wherever its comments appear.", site=site.name),
        t(decided, when=t.when(sanction.created_at)),
    ]
    rules = rules_service.current_rules(session, site_id=sanction.site_id)
    lines.append(
        rule_line(
            session,
            site_id=sanction.site_id,
            key=sanction.rule_key,
            title=sanction.rule_title,
            version=rules.version if rules else 1,
            t=t,
        )
    )
    if sanction.message_to_user:
        lines.append(
            t("Message from the moderators: %(message)s", message=sanction.message_to_user)
        )
    note = notifications_service.notify(
        session,
        user_id=sanction.user_id,
        site_id=sanction.site_id,
        kind=NotificationKind.SANCTION,
        title=t(_SANCTION_TITLES[kind]),
        body="\n".join(lines),
        now=sanction.created_at,
        sanction_id=sanction.id,
        action=kind.value,
        rule_key=sanction.rule_key,
        rule_title=sanction.rule_title,
        automated=sanction.automated,
        locale=t.locale,
    )
    email_notice(session, note=note, category=MailCategory.DECISION, now=sanction.created_at)
    return note


def for_lift(session: Session, *, sanction: Sanction, now: datetime) -> Notification:
    """Tell a user that a sanction was lifted."""
    site = stories_service.get_site(session, site_id=sanction.site_id)
    t = text_for(session.get(User, sanction.user_id), site)
    name = _SANCTION_NAMES.get(SanctionKind(sanction.kind), sanction.kind)
    return notifications_service.notify(
        session,
        user_id=sanction.user_id,
        site_id=sanction.site_id,
        kind=NotificationKind.SANCTION_LIFTED,
        title=t("A restriction on your account was lifted"),
        body=t(
            "The %(sanction)s of %(since)s was lifted on %(when)s.",
            sanction=t(name),
            since=t.when(sanction.created_at),
            when=t.when(now),
        ),
        now=now,
        sanction_id=sanction.id,
        action="lift",
        rule_key=sanction.rule_key,
        rule_title=sanction.rule_title,
        contestable=False,
        locale=t.locale,
    )
