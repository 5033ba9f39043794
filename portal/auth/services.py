"""Account and session operations; each takes the acting user and commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal.audit.events import count_event
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


def valid_email(email: str) -> str:
    """The address normalised (lower case), or AccountError("invalid_email")."""
    from email_validator import EmailNotValidError, validate_email

    email = normalise_email(email)
    if len(email) > 320:
        raise AccountError("invalid_email", email)
    try:
        checked = validate_email(email, check_deliverability=False,
                                 test_environment=current_app.testing if has_app_context()
                                 else False)
    except EmailNotValidError as exc:
        raise AccountError("invalid_email", str(exc)) from None
    return normalise_email(checked.normalized)


def create_user(
    actor: User | None,
    email: str,
    password: str | None,
    role: str,
    person: Person | None = None,
    *,
    check_password: bool = True,
    commit: bool = True,
) -> User:
    """Create an account, record it in the audit trail and commit.

    `password=None` makes an account without a password: it signs in through the region's
    identity provider, or sets a password through an invitation link.
    """
    if role not in ROLES:
        raise AccountError("unknown_role", role)
    email = valid_email(email)
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError("email_taken", email)
    if check_password and password is not None:
        problems = password_problems(password, email)
        if problems:
            raise AccountError("weak_password", ", ".join(problems))
    user = User(email=email, password_hash=hash_password(password) if password else None,
                role=role, person=person)
    db.session.add(user)
    db.session.flush()
    record(actor, "create", "user", str(user.id), after=user_snapshot(user))
    if commit:
        db.session.commit()
    return user


def user_snapshot(user: User) -> dict:
    """The audit trail's view of an account (never the password hash)."""
    return {
        "email": user.email,
        "role": user.role,
        "person": user.person.key if user.person else None,
        "is_enabled": user.is_enabled,
        "local_sign_in": user.password_hash is not None,  # False: the region's sign-in only
    }


def authenticate(email: str, password: str, source: str | None = None) -> User | None:
    """Return the enabled user with these credentials, or None; counts failures per `source`
    (the client's address)."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_enabled:
        record_failed_sign_in(source)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_failed_sign_in(source: str | None) -> None:
    """Count a refused sign-in from this client address among the security events (its own
    transaction); the audit trail keeps writes, not every guess (docs/security.md)."""
    count_event("login_failed", source)


def account_contact() -> str:
    """Whom a person asks for an account: ACCOUNT_CONTACT, or the portal's administrators."""
    configured = current_app.config.get("ACCOUNT_CONTACT")
    if configured:
        return configured
    admins = db.session.scalars(
        select(User.email).where(User.role == "admin", User.is_enabled.is_(True))
        .order_by(User.id).limit(2)
    ).all()
    return " / ".join(admins) if admins else "the portal's administrator"


def oidc_account(email: str, email_verified, auto_role: str | None,
                 source: str | None = None) -> User:
    """The enabled account that a verified ID token's email claim names.

    :raise AccountError: no_email, email_unverified, disabled or unknown_person; each refusal
        is in the audit trail. With `auto_role`, an unknown person gets an account with it.
    """
    email = normalise_email(email or "")
    if not email:
        record_failed_sign_in(source)
        raise AccountError("no_email")
    if email_verified is False or str(email_verified).lower() == "false":
        record_failed_sign_in(source)
        raise AccountError("email_unverified", email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None and auto_role in ROLES:
        try:
            return create_user(None, email, None, auto_role)
        except AccountError:
            record_failed_sign_in(source)
            raise
    if user is None:
        record_failed_sign_in(source)
        raise AccountError("unknown_person", email)
    if not user.is_enabled:
        record_failed_sign_in(source)
        raise AccountError("disabled", email)
    return user


def _hash_token(token: str) -> str:
    """Sessions are stored by hash, so a copy of the database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, method: str = "local") -> str:
    """Open a server-side session for a signed-in user and return its secret token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(token_hash=_hash_token(token), user=user, created_at=now,
                               last_seen_at=now))
    user.last_login_at = now
    record(user, "login", "user", str(user.id), data={"method": method})
    db.session.commit()
    return token


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def session_user(token: str | None, idle: timedelta, absolute: timedelta) -> User | None:
    """Return the user of a live session, ending it when it has timed out."""
    if not token:
        return None
    # One statement for the session, its account and the account's person: every page asks
    # for them (the header shows the person's name).
    row = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == _hash_token(token))
        .options(joinedload(UserSession.user).joinedload(User.person)))
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


def set_locale(user: User, locale: str) -> None:
    """The language of the person's mail follows the language they chose in the portal."""
    if user.locale == locale:
        return
    record(user, "update", "user", str(user.id), before={"locale": user.locale},
           after={"locale": locale})
    user.locale = locale
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
