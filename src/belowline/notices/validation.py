"""Checking a notice's fields: every problem named at once, text trimmed and bounded."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from belowline.errors import ErrorCode, InvalidInput
from belowline.notices.models import NoticeReason

EMAIL_RE = re.compile(
    r"^[^@\s<>()\[\]\\,;:\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$"
)
EXPLANATION_MIN, TEXT_MAX, NAME_MAX, LOCATION_MAX = 10, 5000, 200, 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean(value: str | None, *, single_line: bool = False) -> str:
    """NFC, no control or bidi characters; one line where a header or name could carry it."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value or ""))
    if single_line:
        text = " ".join(text.split())
    return text.strip()


@dataclass
class Fields:
    """Collects field problems so that one 422 names them all."""

    problems: list[dict[str, str]]

    def add(self, field: str, message: str) -> None:
        self.problems.append({"field": field, "message": message})

    def text(
        self, field: str, value: str | None, *, required: bool, limit: int, minimum: int = 1
    ) -> str | None:
        text = clean(value, single_line=limit <= NAME_MAX)
        if not text:
            if required:
                self.add(field, "required")
            return None
        if len(text) < minimum:
            self.add(field, f"at least {minimum} characters")
        elif len(text) > limit:
            self.add(field, f"at most {limit} characters")
        return text

    def raise_if_any(self) -> None:
        if self.problems:
            names = ", ".join(p["field"] for p in self.problems)
            raise InvalidInput(
                f"Please check these fields: {names}.",
                code=ErrorCode.VALIDATION_ERROR,
                fields=self.problems,
            )


def email(fields: Fields, value: str | None) -> str:
    text = clean(value)
    if not text:
        fields.add("email", "required: we send the receipt and the decision there")
    elif len(text) > 320 or not EMAIL_RE.match(text):
        fields.add("email", "not a valid email address")
    return text.lower() if "@" in text else text


def reason(fields: Fields, value: str) -> NoticeReason | None:
    try:
        return NoticeReason(value)
    except ValueError:
        fields.add("reason", "one of " + ", ".join(r.value for r in NoticeReason))
        return None


def uk_complaint(fields: Fields, raw: Any, parsed_reason: NoticeReason | None) -> dict[str, Any]:
    """The reg. 2 fields; a notice of complaint is about defamation by definition."""
    if raw is None:
        return {"uk_complaint": False}
    if parsed_reason is not None and parsed_reason != NoticeReason.DEFAMATION:
        fields.add("reason", "a UK notice of complaint is about defamation")
    out: dict[str, Any] = {"uk_complaint": True, "share_details": bool(raw.share_details)}
    for key in ("statement", "meaning", "why_defamatory", "inaccurate"):
        out[key] = fields.text(
            f"uk_complaint.{key}", getattr(raw, key), required=True, limit=TEXT_MAX
        )
    if raw.poster_unknown is not True:
        fields.add(
            "uk_complaint.poster_unknown",
            "confirm that you do not have enough information about the poster to bring "
            "proceedings against them",
        )
    out["poster_unknown"] = raw.poster_unknown is True
    return out
