"""Building one email: plain-text and HTML parts from the templates, headers for mail clients.

Readers' mail of a switchable category carries `List-Unsubscribe` with a signed one-click
link and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), so a mail client's
unsubscribe button works without the reader signing in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from belowline.i18n.readers import N_, ReaderText
from belowline.mail.links import unsubscribe_url
from belowline.mail.preferences import CATEGORY_FIELD

TEMPLATES = Path(__file__).parent / "templates"
_html_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True
)
_text_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, trim_blocks=True)  # noqa: S701 - plain text

WHAT: dict[str, str] = {
    "reply": N_("emails about replies to your comments"),
    "decision": N_("emails about moderators' decisions on your comments"),
    "report_outcome": N_("emails about the outcome of your reports"),
}
# Long headers are kept on one line: a folded List-Unsubscribe would be RFC 2047-encoded,
# and mail clients would no longer see a URI in it.
POLICY = policy.SMTP.clone(max_line_length=998)
THESE_EMAILS = N_("these emails")
INBOX_NOTE = N_("This notice is also in your inbox below the comments.")


@dataclass(frozen=True)
class Envelope:
    """What the sender needs to build one message."""

    to: str
    subject: str
    text: str
    html: str | None
    category: str
    user_id: int | None
    site_name: str
    outbox_id: int
    locale: str = "en"  # the recipient's: the footer is written in it


def _domain(address: str) -> str:
    _, addr = parseaddr(address)
    return addr.rpartition("@")[2] or "localhost"


def message_id(outbox_id: int, *, mail_from: str) -> str:
    """The same id on every attempt at one outbox message, so receivers can drop a repeat."""
    return f"<belowline.outbox.{outbox_id}@{_domain(mail_from)}>"


def build(
    envelope: Envelope, *, mail_from: str, public_url: str, secret: str, now: datetime
) -> EmailMessage:
    """The message with both parts and its headers, ready for SMTP."""
    link = None
    if envelope.user_id is not None and envelope.category in CATEGORY_FIELD:
        link = unsubscribe_url(
            public_url=public_url,
            secret=secret,
            user_id=envelope.user_id,
            category=envelope.category,
        )
    t = ReaderText(envelope.locale)
    context = {
        "_": t,
        "lang": envelope.locale,
        "subject": envelope.subject,
        "text": envelope.text,
        "html": Markup(envelope.html) if envelope.html else None,  # noqa: S704 - callers' own HTML
        "paragraphs": [p for p in envelope.text.split("\n") if p.strip()],
        "site_name": envelope.site_name,
        "unsubscribe_url": link,
        "what": t(WHAT.get(envelope.category, THESE_EMAILS)),
        "inbox_note": t(INBOX_NOTE) if envelope.user_id is not None else None,
    }
    message = EmailMessage(policy=POLICY)
    message["From"] = mail_from
    message["To"] = envelope.to
    message["Subject"] = envelope.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(envelope.outbox_id, mail_from=mail_from)
    message["Auto-Submitted"] = "auto-generated"
    if link is not None:
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_text_env.get_template("message.txt").render(context))
    message.add_alternative(_html_env.get_template("message.html").render(context), subtype="html")
    return message
