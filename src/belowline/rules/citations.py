"""The rule a moderation step cites: it must be in the site's current rules."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from belowline.errors import ErrorCode, InvalidInput
from belowline.rules import service as rules_service


@dataclass(frozen=True)
class CitedRule:
    key: str
    title: str
    version: int


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


def rule_text(session: Session, *, site_id: str, version: int, key: str) -> str | None:
    """A rule's text as it stood in the cited version (statements quote what applied then)."""
    from sqlalchemy import select

    from belowline.rules.models import Rule, RulesVersion

    return session.scalar(
        select(Rule.text_md)
        .join(RulesVersion, RulesVersion.id == Rule.rules_version_id)
        .where(RulesVersion.site_id == site_id, RulesVersion.version == version, Rule.key == key)
    )


def rules_url(session: Session, *, site_id: str, rule_key: str | None = None) -> str:
    """An absolute link to the public rules page (and the rule's anchor) for statements."""
    base = str(session.info.get("public_url") or "").rstrip("/")
    anchor = f"#rule-{rule_key}" if rule_key else ""
    return f"{base}/sites/{site_id}/rules{anchor}"
