"""Password hashing with Argon2id and the password rules for new accounts."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_LENGTH = 12
MAX_LENGTH = 128
# The 10,000 most common passwords (portal/auth/data/common-passwords.NOTICE says where from),
# read on first use; plus a few Swedish ones that attackers here try first.
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"
LOCAL_COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "password1234",
        "losenord1234",
        "lösenord1234",
        "qwertyuiopå",
        "sommar2024!!",
        "sommar2025!!",
        "vinter2025!!",
        "admin1234567",
        "välkommen123",
        "valkommen123",
    }
)
_dummy_hash: str | None = None


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case) and the local additions."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        shipped = {line.strip().lower() for line in handle if line.strip()}
    return frozenset(shipped) | LOCAL_COMMON_PASSWORDS


def use_parameters(**parameters: int) -> None:
    """Change the Argon2id cost (the test suite uses a cheap setting to stay fast)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(**parameters)
    _dummy_hash = None


def _dummy() -> str:
    """A hash to verify against when there is no account, made on first use (it is slow)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password-just-timing")
    return _dummy_hash


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash, spending the same time when there is no hash."""
    try:
        return _hasher.verify(password_hash or _dummy(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, email: str = "") -> list[str]:
    """Return the rules a proposed password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    lowered = password.lower()
    if lowered in common_passwords():
        problems.append("too_common")
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        problems.append("contains_email")
    return problems
