"""The retention schedule, run daily by the outbox worker and by `belowline privacy retention`.

Email copies in the outbox (an address and the text) and the mail log are kept for the site's
`mail_days`, then deleted. Belowline keeps no IP addresses or data derived from them in the
database (rate-limit counters live in memory or Redis for their window only), so there is
nothing of that kind to purge.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from belowline.mail.models import MailLogEntry
from belowline.outbox.models import OutboxMessage, OutboxStatus
from belowline.privacy import settings as privacy_settings
from belowline.stories.models import Site


def run_retention(session: Session, *, now: datetime) -> dict[str, int]:
    """Purge what is past its site's retention period; how many rows of each kind went."""
    purged = {"emails": 0, "mail_log": 0}
    for site in session.scalars(select(Site)).all():
        cutoff = now - timedelta(days=privacy_settings.get(site).mail_days)
        emails = session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.site_id == site.id,
                OutboxMessage.kind == "email",
                OutboxMessage.status != OutboxStatus.PENDING,
                OutboxMessage.created_at < cutoff,
            )
        )
        log = session.execute(
            delete(MailLogEntry).where(
                MailLogEntry.site_id == site.id, MailLogEntry.created_at < cutoff
            )
        )
        purged["emails"] += int(emails.rowcount)  # type: ignore[attr-defined]
        purged["mail_log"] += int(log.rowcount)  # type: ignore[attr-defined]
    session.flush()
    return purged
