"""Local-account password hashing with argon2 (loaded on first use: posting never needs it)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # here, not at the top: a worker serving posts skips it

    # OWASP ASVS minimum for argon2id (19 MiB, t=2, p=1): sound, and cheap enough for logins.
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown, so both answers take the same time.
    return _hasher().hash("belowline-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True if `password` matches; always does the work of one verification."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
