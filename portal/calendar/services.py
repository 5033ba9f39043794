"""The secret calendar link: creating, renewing and looking it up."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from portal.audit.services import record
from portal.extensions import db
from portal.models import User


def hash_token(token: str) -> str:
    """The SHA-256 hex digest kept in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def renew_token(user: User) -> str:
    """Give the user a new calendar token (the old link stops working) and return it once."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = hash_token(token)
    record(user, "update", "user", str(user.id), data={"calendar_token": "renewed"})
    db.session.commit()
    return token


def user_by_token(token: str) -> User | None:
    """The enabled user whose calendar token this is, or None."""
    if not token or len(token) > 128:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token_hash == hash_token(token)))
    return user if user is not None and user.is_enabled else None
