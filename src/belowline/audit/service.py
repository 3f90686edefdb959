"""The audit log: every moderation step, written in the same transaction as the step itself.

Rows are only ever inserted; the model refuses updates and deletes, and so does the database.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.audit.models import AuditEntry
from belowline.comments.views import iso
from belowline.errors import ErrorCode, Forbidden

__all__ = ["AuditEntry", "digest", "entry_view", "list_entries", "to_csv", "write"]
from belowline.permissions import can_view_audit

CSV_COLUMNS = (
    "id",
    "created_at",
    "site_id",
    "actor_id",
    "actor_role",
    "automated",
    "action",
    "target_type",
    "target_id",
    "rule_key",
    "note",
    "before_digest",
    "after_digest",
)


def digest(text: str | None) -> str | None:
    """SHA-256 of a text, so the log proves what changed without repeating it."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(
    session: Session,
    *,
    site_id: str,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | str,
    now: datetime,
    rule_key: str | None = None,
    note: str | None = None,
    before: str | None = None,
    after: str | None = None,
    automated: bool = False,
) -> AuditEntry:
    """Append one entry; `before`/`after` are texts whose digests are kept."""
    entry = AuditEntry(
        site_id=site_id,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else "system",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        rule_key=rule_key,
        note=note,
        before_digest=digest(before),
        after_digest=digest(after),
        automated=automated,
        created_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


def entry_view(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "created_at": iso(entry.created_at),
        "site_id": entry.site_id,
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "automated": entry.automated,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "rule_key": entry.rule_key,
        "note": entry.note,
        "before_digest": entry.before_digest,
        "after_digest": entry.after_digest,
    }


def list_entries(
    session: Session,
    *,
    actor: User,
    site_id: str,
    action: str | None = None,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries newest first, filtered; admins of the site only."""
    if not can_view_audit(actor, site_id):
        raise Forbidden("Only the site's admins can read the audit log.", code=ErrorCode.FORBIDDEN)
    stmt = select(AuditEntry).where(AuditEntry.site_id == site_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if target_type:
        stmt = stmt.where(AuditEntry.target_type == target_type)
    if target_id:
        stmt = stmt.where(AuditEntry.target_id == target_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.created_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.created_at < until)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    stmt = stmt.order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(stmt).all())


def _safe_cell(value: Any) -> str:
    """Spreadsheet-safe text: a leading = + - @ would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(entries: Iterable[AuditEntry]) -> str:
    """The entries as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = entry_view(entry)
        writer.writerow([_safe_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()
