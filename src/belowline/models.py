"""Imports every domain's tables so metadata (and Alembic) sees them all."""

from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentRevision, Reaction
from belowline.rules.models import Rule, RulesVersion, TermsAcceptance
from belowline.stories.models import Site, Story

__all__ = [
    "Comment",
    "CommentRevision",
    "Reaction",
    "Rule",
    "RulesVersion",
    "Site",
    "Story",
    "TermsAcceptance",
    "User",
]
