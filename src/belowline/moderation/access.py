"""Shared checks for moderation services: who may act, and which rule a step cites."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.errors import ErrorCode, Forbidden, InvalidInput
from belowline.rules import service as rules_service


@dataclass(frozen=True)
class CitedRule:
    key: str
    title: str
    version: int


def require(check: Callable[[User | None, str], bool], actor: User | None, site_id: str) -> None:
    """Raise `forbidden` unless the permission check passes."""
    if not check(actor, site_id):
        raise Forbidden("Only this site's moderators can do that.", code=ErrorCode.FORBIDDEN)


def cite_rule(session: Session, *, site_id: str, rule_key: str | None) -> CitedRule:
    """The rule a decision cites; it must be in the site's current rules."""
    if rule_key is None or not rule_key.strip():
        raise InvalidInput(
            "Choose the community rule this decision applies.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "rule_id", "message": "required"}],
        )
    rules = rules_service.current_rules(session, site_id=site_id)
    rule = rules.rule(rule_key.strip()) if rules is not None else None
    if rules is None or rule is None:
        raise InvalidInput(
            f"There is no rule '{rule_key.strip()[:64]}' in this site's current rules.",
            code=ErrorCode.RULE_NOT_FOUND,
        )
    return CitedRule(key=rule.key, title=rule.title, version=rules.version)


def clean_note(value: str | None, *, field: str, limit: int = 2000) -> str | None:
    """Trim an optional free-text field, refusing one that is too long."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} can be at most {limit} characters.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": field, "message": f"at most {limit} characters"}],
        )
    return text or None
