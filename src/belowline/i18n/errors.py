"""Error messages in the caller's language: the machine `code` never changes, the human
`message` is looked up in the "errors" catalog by its English text. Messages built with
values ("at most 50 characters") match a catalog entry with placeholders; a message the
catalog does not know falls back to the code's own sentence, so a French caller never gets
English when French exists."""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from belowline.errors import ErrorCode
from belowline.i18n.catalogs import DEFAULT_LOCALE, accepted, po_path, resolve

DOMAIN = "errors"
# Locales whose errors catalog is complete (tests/i18n/test_error_catalogs.py checks it).
ERROR_LOCALES = ("en", "fr", "de", "es", "cy", "gd")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# One sentence per code: what a caller is told when the exact message has no translation.
GENERIC: dict[str, str] = {
    ErrorCode.INVALID_REQUEST: "The request was not accepted.",
    ErrorCode.INVALID_JSON: "The request body is not valid JSON.",
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: "Send the request body as JSON.",
    ErrorCode.PAYLOAD_TOO_LARGE: "The request is too large.",
    ErrorCode.NOT_FOUND: "Nothing here: check the address.",
    ErrorCode.METHOD_NOT_ALLOWED: "That method is not allowed on this address.",
    ErrorCode.NOT_AUTHENTICATED: "Sign in first.",
    ErrorCode.INVALID_TOKEN: "Your sign-in has expired or is not valid. Sign in again.",
    ErrorCode.INVALID_CREDENTIALS: "That email and password do not match an account.",
    ErrorCode.FORBIDDEN: "You are not allowed to do that.",
    ErrorCode.SUBSCRIPTION_REQUIRED: "Commenting is for subscribers.",
    ErrorCode.TERMS_NOT_ACCEPTED: "Accept the community rules before you post.",
    ErrorCode.TERMS_VERSION_MISMATCH: "The community rules have changed: accept them again.",
    ErrorCode.COMMENTING_CLOSED: "Comments are closed on this story.",
    ErrorCode.USER_SUSPENDED: "Your account cannot comment at the moment.",
    ErrorCode.WARNING_NOT_ACKNOWLEDGED: "Acknowledge your warning before you post again.",
    ErrorCode.SITE_NOT_FOUND: "There is no such site.",
    ErrorCode.STORY_NOT_FOUND: "There is no such story.",
    ErrorCode.COMMENT_NOT_FOUND: "There is no such comment.",
    ErrorCode.PARENT_NOT_FOUND: "The comment you are replying to is not there any more.",
    ErrorCode.USER_NOT_FOUND: "There is no such user.",
    ErrorCode.RULE_NOT_FOUND: "There is no such rule.",
    ErrorCode.INVALID_BODY: "Check what you entered and try again.",
    ErrorCode.INVALID_CURSOR: "That page of results is no longer valid; start from the first.",
    ErrorCode.EDIT_WINDOW_CLOSED: "The time to edit this comment has passed.",
    ErrorCode.NOT_YOUR_COMMENT: "Only its author can change this comment.",
    ErrorCode.COMMENT_NOT_EDITABLE: "This comment can no longer be changed.",
    ErrorCode.ALREADY_REPORTED: "You have already reported this comment.",
    ErrorCode.CANNOT_REPORT_OWN: "You cannot report your own comment.",
    ErrorCode.INVALID_ACTION: "That action is not possible here.",
    ErrorCode.CONFLICT: "Something changed in the meantime. Reload and try again.",
    ErrorCode.ALREADY_EXISTS: "That already exists.",
    ErrorCode.RATE_LIMITED: "Too many requests. Wait a moment and try again.",
    ErrorCode.BUSY: (
        "Too many changes are arriving at once. Nothing was saved; try again in a moment."
    ),
    ErrorCode.DATABASE_UNAVAILABLE: (
        "The service cannot reach its database just now. Try again in a few seconds."
    ),
    ErrorCode.CSRF_FAILED: "The form expired. Reload the page and try again.",
    ErrorCode.ORIGIN_NOT_ALLOWED: "This site does not accept requests from that address.",
    ErrorCode.VALIDATION_ERROR: "Some of what you sent is not valid.",
    ErrorCode.BANNED_WORDS: "Your comment contains words this site does not allow.",
    ErrorCode.ALREADY_APPEALED: "You have already appealed this decision.",
    ErrorCode.APPEAL_WINDOW_CLOSED: "The time to appeal this decision has passed.",
    ErrorCode.NOT_APPEALABLE: "This decision cannot be appealed.",
    ErrorCode.SAME_MODERATOR: "Another moderator must review this.",
    ErrorCode.ACCOUNT_DEACTIVATED: "This account has been deactivated.",
    ErrorCode.LAST_ADMIN: "The site needs at least one admin.",
    ErrorCode.STAFF_ACCOUNT: "That is not possible for a staff account.",
    ErrorCode.INVITATION_INVALID: "This invitation is not valid any more.",
    ErrorCode.ALREADY_DECIDED: "This has already been decided.",
    ErrorCode.INVALID_FORM_TOKEN: "The form expired. Reload the page and try again.",
    ErrorCode.NOTICE_NOT_FOUND: "There is no such notice.",
    ErrorCode.INVALID_STEP: "That step is not possible now.",
    ErrorCode.CONSENT_REQUIRED: "Your consent is needed for this.",
    ErrorCode.INTERNAL_ERROR: "Something went wrong on our side. Nothing more was saved.",
    ErrorCode.INVALID_STORY_TOKEN: "This story’s signature is not valid.",
    ErrorCode.CANNOT_MUTE_SELF: "You cannot mute yourself.",
    ErrorCode.QA_NOT_ENABLED: "This story has no questions and answers.",
    ErrorCode.QA_CLOSED: "Questions are closed on this story.",
    ErrorCode.NOT_A_QUESTION: "That comment is not a question.",
    ErrorCode.NOT_AN_EXPERT: "Only this story’s experts can answer.",
    ErrorCode.ALREADY_ANSWERED: "This question already has an answer.",
}


def error_locale(accept_language: str | None) -> str:
    """The first language in Accept-Language that the errors catalog speaks; else English."""
    for tag in accepted(accept_language or ""):
        chosen = resolve(tag)
        if chosen in ERROR_LOCALES:
            return chosen
    return DEFAULT_LOCALE


@cache
def _catalog(locale: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """Exact messages, and messages with values as patterns (the most specific first)."""
    exact: dict[str, str] = {}
    patterns: list[tuple[int, re.Pattern[str], str]] = []
    path = po_path(locale, DOMAIN)
    if not path.exists():
        return {}, []
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        target = str(message.string)
        if not _PLACEHOLDER.search(message.id):
            exact[message.id] = target
            continue
        parts = _PLACEHOLDER.split(message.id)  # literal, name, literal, name, …
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        literal = sum(len(part) for part in parts[::2])
        patterns.append((literal, re.compile(regex, re.S), target))
    patterns.sort(key=lambda p: -p[0])
    return exact, [(regex, target) for _, regex, target in patterns]


def translate(message: str, *, code: str, locale: str) -> str:
    """`message` in `locale`: its own translation, a matching pattern's, or the code's."""
    if locale == DEFAULT_LOCALE:
        return message
    exact, patterns = _catalog(locale)
    if message in exact:
        return exact[message]
    for regex, target in patterns:
        found = regex.fullmatch(message)
        if found:
            return target % found.groupdict()
    generic = GENERIC.get(code)
    return exact.get(generic, message) if generic else message
