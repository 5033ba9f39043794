"""Account and session operations; each takes the acting user and commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from portal.audit.services import record
from portal.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from portal.extensions import db
from portal.models import Person, User, UserSession
from portal.models.account import ROLES
from portal.models.base import utcnow


class AccountError(ValueError):
    """An account operation was refused; `code` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def normalise_email(email: str) -> str:
    """Compare addresses without case or surrounding space."""
    return email.strip().lower()


def create_user(
    actor: User | None,
    email: str,
    password: str,
    role: str,
    person: Person | None = None,
    *,
    check_password: bool = True,
) -> User:
    """Create an account, record it in the audit trail and commit."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError("unknown_role", role)
    if "@" not in email or len(email) > 320:
        raise AccountError("invalid_email", email)
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError("email_taken", email)
    if check_password:
        problems = password_problems(password, email)
        if problems:
            raise AccountError("weak_password", ", ".join(problems))
    user = User(email=email, password_hash=hash_password(password), role=role, person=person)
    db.session.add(user)
    db.session.flush()
    record(actor, "create", "user", str(user.id), after=user_snapshot(user))
    db.session.commit()
    return user


def user_snapshot(user: User) -> dict:
    """The audit trail's view of an account (never the password hash)."""
    return {
        "email": user.email,
        "role": user.role,
        "person": user.person.key if user.person else None,
        "is_enabled": user.is_enabled,
    }


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user with these credentials, or None; records failures."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_enabled:
        record(
            user,
            "login_failed",
            "user",
            str(user.id) if user else None,
            actor_label=email[:320] or "?",
            data={"reason": "disabled" if ok and user else "bad_credentials"},
        )
        db.session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _hash_token(token: str) -> str:
    """Sessions are stored by hash, so a copy of the database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a server-side session for a signed-in user and return its secret token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(token_hash=_hash_token(token), user=user, created_at=now,
                               last_seen_at=now))
    user.last_login_at = now
    record(user, "login", "user", str(user.id))
    db.session.commit()
    return token


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def session_user(token: str | None, idle: timedelta, absolute: timedelta) -> User | None:
    """Return the user of a live session, ending it when it has timed out."""
    if not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    expired = now - _aware(row.last_seen_at) > idle or now - _aware(row.created_at) > absolute
    if expired or not row.user.is_enabled:
        row.ended_at = now
        db.session.commit()
        return None
    if now - _aware(row.last_seen_at) > timedelta(seconds=60):
        row.last_seen_at = now  # written at most once a minute to spare the database
        db.session.commit()
    return row.user


def end_session(token: str | None, user: User | None) -> None:
    """End one session on the server (sign-out)."""
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash_token(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    if user is not None:
        record(user, "logout", "user", str(user.id))
    db.session.commit()


def set_enabled(actor: User | None, user: User, enabled: bool) -> None:
    """Enable or disable an account; disabling ends all its sessions."""
    before = user_snapshot(user)
    user.is_enabled = enabled
    if not enabled:
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    record(actor, "update", "user", str(user.id), before=before, after=user_snapshot(user))
    db.session.commit()
