"""Coded errors shared by every domain; no HTTP imports so services stay framework-free."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Machine-readable error codes that the public contract promises."""

    INVALID_REQUEST = "invalid_request"
    INVALID_JSON = "invalid_json"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code
    INVALID_CREDENTIALS = "invalid_credentials"
    FORBIDDEN = "forbidden"
    SUBSCRIPTION_REQUIRED = "subscription_required"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    TERMS_VERSION_MISMATCH = "terms_version_mismatch"
    COMMENTING_CLOSED = "commenting_closed"
    USER_SUSPENDED = "user_suspended"
    WARNING_NOT_ACKNOWLEDGED = "warning_not_acknowledged"
    SITE_NOT_FOUND = "site_not_found"
    STORY_NOT_FOUND = "story_not_found"
    COMMENT_NOT_FOUND = "comment_not_found"
    PARENT_NOT_FOUND = "parent_not_found"
    USER_NOT_FOUND = "user_not_found"
    RULE_NOT_FOUND = "rule_not_found"
    INVALID_BODY = "invalid_body"
    INVALID_CURSOR = "invalid_cursor"
    EDIT_WINDOW_CLOSED = "edit_window_closed"
    NOT_YOUR_COMMENT = "not_your_comment"
    COMMENT_NOT_EDITABLE = "comment_not_editable"
    ALREADY_REPORTED = "already_reported"
    CANNOT_REPORT_OWN = "cannot_report_own"
    INVALID_ACTION = "invalid_action"
    CONFLICT = "conflict"
    ALREADY_EXISTS = "already_exists"
    RATE_LIMITED = "rate_limited"
    BUSY = "busy"
    DATABASE_UNAVAILABLE = "database_unavailable"
    CSRF_FAILED = "csrf_failed"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    VALIDATION_ERROR = "validation_error"
    BANNED_WORDS = "banned_words"
    ALREADY_APPEALED = "already_appealed"
    APPEAL_WINDOW_CLOSED = "appeal_window_closed"
    NOT_APPEALABLE = "not_appealable"
    SAME_MODERATOR = "same_moderator"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    LAST_ADMIN = "last_admin"
    STAFF_ACCOUNT = "staff_account"
    INVITATION_INVALID = "invitation_invalid"
    ALREADY_DECIDED = "already_decided"
    INVALID_FORM_TOKEN = "invalid_form_token"  # noqa: S105 - an error code
    NOTICE_NOT_FOUND = "notice_not_found"
    INVALID_STEP = "invalid_step"
    CONSENT_REQUIRED = "consent_required"
    INTERNAL_ERROR = "internal_error"
    INVALID_STORY_TOKEN = "invalid_story_token"  # noqa: S105 - an error code
    CANNOT_MUTE_SELF = "cannot_mute_self"
    QA_NOT_ENABLED = "qa_not_enabled"
    QA_CLOSED = "qa_closed"
    NOT_A_QUESTION = "not_a_question"
    NOT_AN_EXPERT = "not_an_expert"
    ALREADY_ANSWERED = "already_answered"


class BelowlineError(Exception):
    """A failure the caller can act on: a code, a human message and an HTTP status."""

    status_code = 400
    code: ErrorCode = ErrorCode.INVALID_REQUEST

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        status_code: int | None = None,
        **data: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.data = data


class InvalidInput(BelowlineError):
    status_code = 422
    code = ErrorCode.INVALID_BODY


class NotAuthenticated(BelowlineError):
    status_code = 401
    code = ErrorCode.NOT_AUTHENTICATED


class Forbidden(BelowlineError):
    status_code = 403
    code = ErrorCode.FORBIDDEN


class NotFound(BelowlineError):
    status_code = 404
    code = ErrorCode.NOT_FOUND


class Conflict(BelowlineError):
    status_code = 409
    code = ErrorCode.CONFLICT


class RateLimited(BelowlineError):
    status_code = 429
    code = ErrorCode.RATE_LIMITED
