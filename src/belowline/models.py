"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentRevision, Reaction
from belowline.moderation.appeal_models import Appeal
from belowline.moderation.models import (
    AuditEntry,
    Decision,
    ModeratorNote,
    QueueItem,
    Report,
    ReporterStats,
    Sanction,
)
from belowline.moderation.policy_models import TriageModel, UserFlag
from belowline.notifications.models import Notification
from belowline.rules.models import Rule, RulesVersion, TermsAcceptance
from belowline.stories.models import Site, Story

__all__ = [
    "Appeal",
    "AuditEntry",
    "Comment",
    "CommentRevision",
    "Decision",
    "ModeratorNote",
    "Notification",
    "QueueItem",
    "Reaction",
    "Report",
    "ReporterStats",
    "Rule",
    "RulesVersion",
    "Sanction",
    "Site",
    "Story",
    "TermsAcceptance",
    "TriageModel",
    "User",
    "UserFlag",
]
