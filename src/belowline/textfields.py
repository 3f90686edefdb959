"""Free-text fields moderators and readers fill in: trimmed, bounded."""

from __future__ import annotations

from belowline.errors import ErrorCode, InvalidInput


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
