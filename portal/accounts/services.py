"""Managing accounts in the portal: invitations, one-time links, passwords, sessions.

Each operation takes the acting user, records the audit trail and commits once. Mail goes out
after the commit, so a refused mail never leaves half an account behind; the link it carries
is kept only as a hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal import mail
from portal.audit.services import record
from portal.auth.passwords import hash_password, password_problems, verify_password
from portal.auth.services import (
    AccountError,
    create_user,
    normalise_email,
    user_snapshot,
    valid_email,
)
from portal.extensions import db
from portal.links import external_url
from portal.models import AccountToken, Person, User, UserSession
from portal.models.account import ROLES
from portal.models.base import utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_password(password: str, email: str) -> None:
    """Raise AccountError("weak_password", rules) when the password breaks a rule."""
    problems = password_problems(password, email)
    if problems:
        raise AccountError("weak_password", ",".join(problems))


def _issue(user: User, purpose: str, hours: int) -> str:
    """A new one-time link for the user; earlier unused links of the same purpose end."""
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=_hash(token),
                                created_at=now, expires_at=now + timedelta(hours=hours)))
    return token


def end_sessions(user: User, keep_token_hash: str | None = None) -> int:
    """End the user's open sessions (all, or all but one); returns how many ended."""
    condition = [UserSession.user_id == user.id, UserSession.ended_at.is_(None)]
    if keep_token_hash:
        condition.append(UserSession.token_hash != keep_token_hash)
    result = db.session.execute(update(UserSession).where(*condition).values(ended_at=utcnow()))
    return result.rowcount or 0


# --- administration --------------------------------------------------------------------


def search_users(query: str = "") -> list[User]:
    """Accounts whose address or person's name contains the query, by address."""
    statement = select(User).outerjoin(User.person).order_by(User.email)
    query = query.strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(or_(func.lower(User.email).like(pattern),
                                        func.lower(Person.name).like(pattern)))
    return list(db.session.scalars(statement))


def invite(actor: User, email: str, role: str, person: Person | None,
           locale: str | None = None) -> User:
    """Create an account without a password and mail it a link (valid 72 h) to set one.

    With PASSWORD_LOGIN=off there is no password to set: the mail says to sign in with the
    region's account.
    """
    try:
        user = create_user(actor, email, None, role, person, commit=False)
        user.locale = locale
        token = (_issue(user, "invite", current_app.config["INVITE_VALID_HOURS"])
                 if current_app.config.get("PASSWORD_LOGIN", True) else None)
        record(actor, "invite", "user", str(user.id), data={"email": user.email})
        db.session.commit()
    except IntegrityError:  # the same address invited by two admins at once
        db.session.rollback()
        raise AccountError("email_taken", email) from None
    _send_link(user, "invite", token)
    return user


def reinvite(actor: User, user: User) -> None:
    """A new invitation link (the earlier one stops working)."""
    token = (_issue(user, "invite", current_app.config["INVITE_VALID_HOURS"])
             if current_app.config.get("PASSWORD_LOGIN", True) else None)
    record(actor, "invite", "user", str(user.id), data={"email": user.email, "again": True})
    db.session.commit()
    _send_link(user, "invite", token)


def _send_link(user: User, purpose: str, token: str | None, locale: str | None = None) -> None:
    """The invitation or reset mail; an invitation without a token points to sign-in."""
    if token is None:
        link, hours = external_url("auth.login"), None
    else:
        endpoint = "accounts.accept_invite" if purpose == "invite" else "accounts.reset_password"
        link = external_url(endpoint, token=token)
        hours = current_app.config["INVITE_VALID_HOURS" if purpose == "invite"
                                   else "RESET_VALID_HOURS"]
    mail.send_one(user.email, purpose, user.locale or locale, link=link, hours=hours,
                  email=user.email, portal=external_url("dashboard.index"))


def update_user(actor: User, user: User, role: str, person: Person | None) -> None:
    """Change an account's role and the person in the register it belongs to."""
    if role not in ROLES:
        raise AccountError("unknown_role", role)
    if user.id == actor.id and role != "admin":
        raise AccountError("own_role")  # an admin cannot lock themselves out
    before = user_snapshot(user)
    user.role, user.person = role, person
    after = user_snapshot(user)
    if after != before:
        record(actor, "update", "user", str(user.id), before=before, after=after)
    db.session.commit()


def set_enabled(actor: User, user: User, enabled: bool) -> None:
    """Disable (ending every session) or enable an account; not one's own."""
    if user.id == actor.id:
        raise AccountError("own_account")
    before = user_snapshot(user)
    user.is_enabled = enabled
    if not enabled:
        end_sessions(user)
    record(actor, "update", "user", str(user.id), before=before, after=user_snapshot(user))
    db.session.commit()


def sign_out_everywhere(actor: User, user: User) -> int:
    """End every session of the account; returns how many were open."""
    ended = end_sessions(user)
    record(actor, "sign_out_everywhere", "user", str(user.id), data={"sessions": ended})
    db.session.commit()
    return ended


# --- one's own password ------------------------------------------------------------------


def change_password(user: User, current: str, new: str, session_token_hash: str | None) -> int:
    """Change one's own password (the current one required); other sessions end."""
    if user.password_hash is None or not verify_password(user.password_hash, current):
        raise AccountError("wrong_password")
    check_password(new, user.email)
    user.password_hash = hash_password(new)
    ended = end_sessions(user, keep_token_hash=session_token_hash)
    record(user, "password_changed", "user", str(user.id), data={"other_sessions_ended": ended})
    db.session.commit()
    return ended


def request_reset(email: str, locale: str | None) -> None:
    """Mail a reset link when an enabled account has this address; silent otherwise."""
    try:
        email = valid_email(email)
    except AccountError:
        return
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_enabled:
        return
    token = _issue(user, "reset", current_app.config["RESET_VALID_HOURS"])
    record(None, "password_reset_requested", "user", str(user.id), actor_label=user.email)
    db.session.commit()
    _send_link(user, "reset", token, locale)


def token_user(token: str, purpose: str) -> User:
    """The account a live one-time link belongs to.

    :raise AccountError: link_unknown, link_used or link_expired.
    """
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash(token),
                                                       AccountToken.purpose == purpose))
    if row is None or len(token) > 128:
        raise AccountError("link_unknown")
    if row.used_at is not None:
        raise AccountError("link_used")
    if _aware(row.expires_at) < utcnow():
        raise AccountError("link_expired")
    if not row.user.is_enabled:
        raise AccountError("link_unknown")
    return row.user


def set_password_with_link(token: str, purpose: str, password: str) -> User:
    """Use a one-time link once: set the password, end the account's sessions.

    Two uses at once: only one marks the link used (a conditional update), the other fails.
    """
    user = token_user(token, purpose)
    check_password(password, user.email)
    used = db.session.execute(
        update(AccountToken)
        .where(AccountToken.token_hash == _hash(token), AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        db.session.rollback()
        raise AccountError("link_used")
    user.password_hash = hash_password(password)
    end_sessions(user)
    record(user, "password_set", "user", str(user.id), data={"via": purpose})
    db.session.commit()
    return user
