"""How a notice looks to moderators: its fields, the comment, its SLA and statutory clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from belowline.comments import service as comments_service
from belowline.comments.staff_views import names, staff_comment, story_view
from belowline.comments.views import iso
from belowline.notices.models import Notice, NoticeStatus
from belowline.notices.workdays import working_hours_between
from belowline.policy.config import policy_config
from belowline.staffing.schedule import Coverage, coverage_at, site_schedule
from belowline.staffing.sla import sla_clock
from belowline.stories import service as stories_service
from belowline.stories.models import Site

AT_RISK_WORKING_HOURS = 12.0
DEFAULT_NOTICE_SLA = {"full": 4.0, "part": 12.0, "none": 24.0}


def notice_sla_hours(site: Site) -> dict[str, float]:
    hours = policy_config(site).get("notice_sla_hours") or {}
    return {k: float(hours.get(k, v)) for k, v in DEFAULT_NOTICE_SLA.items()}


def statutory_clock(site: Site, notice: Notice, *, now: datetime) -> dict[str, Any] | None:
    """The notice-of-complaint clock now running, in E&W working hours, and whether to escalate.

    At risk: fewer than 12 working hours left by the time someone is next on duty (or
    overdue). Escalated: at risk while nobody is on duty, so the dashboard raises it for
    whoever signs in first.
    """
    if not notice.uk_complaint or notice.action_due_at is None:
        return None
    left = working_hours_between(now, notice.action_due_at)
    level, until = coverage_at(site_schedule(site), now)
    staffed_from = until if level == Coverage.NONE and until is not None else now
    at_risk = working_hours_between(staffed_from, notice.action_due_at) < AT_RISK_WORKING_HOURS
    return {
        "due_at": iso(notice.action_due_at),
        "for": notice.action_due_for,
        "working_hours_left": round(left, 1),
        "overdue": left < 0,
        "at_risk": at_risk,
        "escalated": at_risk and level == Coverage.NONE,
        "coverage_now": level.value,
    }


def notice_view(session: Session, notice: Notice, *, now: datetime) -> dict[str, Any]:
    """Everything a moderator needs to decide a notice (escaped where shown, never trusted)."""
    site = stories_service.get_site(session, site_id=notice.site_id)
    comment, story = comments_service.get_comment(session, comment_id=notice.comment_id)
    decider = names(session, {notice.decided_by_id} if notice.decided_by_id else set())
    view: dict[str, Any] = {
        "id": notice.id,
        "site_id": notice.site_id,
        "comment_id": notice.comment_id,
        "reason": notice.reason,
        "explanation": notice.explanation,
        "name": notice.name,
        "email": notice.email,
        "location": notice.location,
        "good_faith": notice.good_faith,
        "status": notice.status,
        "received_at": iso(notice.received_at),
        "sla": sla_clock(
            site,
            started=notice.received_at,
            is_open=notice.status == NoticeStatus.OPEN,
            now=now,
            hours=notice_sla_hours(site),
        ),
        "comment": staff_comment(session, comment, story),
        "story": story_view(story),
        "outcome": notice.outcome,
        "outcome_reason": notice.outcome_reason,
        "decision_id": notice.decision_id,
        "decided_at": iso(notice.decided_at),
        "decided_by": decider.get(notice.decided_by_id or 0),
        "uk_complaint": None,
    }
    if notice.uk_complaint:
        view["uk_complaint"] = {
            "statement": notice.statement,
            "meaning": notice.meaning,
            "why_defamatory": notice.why_defamatory,
            "inaccurate": notice.inaccurate,
            "poster_unknown": notice.poster_unknown,
            "share_details": notice.share_details,
            "route": notice.route,
            "respond_due_at": iso(notice.respond_due_at),
            "poster_told_at": iso(notice.poster_told_at),
            "reply_due_at": iso(notice.reply_due_at),
            "poster_reply": notice.poster_reply,
            "poster_replied_at": iso(notice.poster_replied_at),
            "poster_consents": notice.poster_consents,
            "disclosed_at": iso(notice.disclosed_at),
            "clock": statutory_clock(site, notice, now=now),
        }
    return view


def public_view(notice: Notice) -> dict[str, Any]:
    """What the notifier gets back: the number and when it was received."""
    return {"id": notice.id, "received_at": iso(notice.received_at), "status": notice.status}
