"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from belowline.accounts.models import Mute, User
from belowline.appeals.models import Appeal
from belowline.audit.models import AuditEntry
from belowline.comments.models import Comment, CommentRevision, Reaction
from belowline.decisions.models import Decision
from belowline.importers.models import ImportRecord
from belowline.learning.models import TriageModel
from belowline.mail.models import MailLogEntry, ReaderPreferences
from belowline.notices.models import Notice
from belowline.notifications.models import Notification
from belowline.outbox.models import OutboxMessage
from belowline.people.models import Invitation, ModeratorNote
from belowline.policy.models import UserFlag
from belowline.qa.models import QaExpert, QaQuestion, QaStory
from belowline.queues.models import QueueItem
from belowline.reports.models import Report, ReporterStats
from belowline.rules.models import Rule, RulesVersion, TermsAcceptance
from belowline.sanctions.models import Sanction
from belowline.stories.models import Site, Story
from belowline.webhooks.models import Webhook, WebhookDelivery

__all__ = [
    "Appeal",
    "AuditEntry",
    "Comment",
    "CommentRevision",
    "Decision",
    "ImportRecord",
    "Invitation",
    "MailLogEntry",
    "ModeratorNote",
    "Mute",
    "Notice",
    "Notification",
    "OutboxMessage",
    "QaExpert",
    "QaQuestion",
    "QaStory",
    "QueueItem",
    "Reaction",
    "ReaderPreferences",
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
    "Webhook",
    "WebhookDelivery",
]
