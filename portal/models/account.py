"""User accounts and their server-side sign-in sessions."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.directory import Person

ROLES = ("admin", "leadership", "commission_lead", "forum_member", "viewer")


class User(UserMixin, db.Model):
    """A person who signs in to the portal, with one role."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored in lower case (services normalise it), so unique regardless of case.
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    # None for an account that signs in only through the region's identity provider.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), default="viewer")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # SHA-256 of the secret in the personal calendar feed URL; the secret itself is not kept.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    person: Mapped[Person | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        """A disabled account cannot sign in or keep a session."""
        return self.is_enabled

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UserSession(db.Model):
    """A signed-in session, kept on the server so that it can be ended there."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession user={self.user_id} ended={self.ended_at}>"


TOKEN_PURPOSES = ("invite", "reset")


class AccountToken(db.Model):
    """A one-time link (invitation or password reset), kept by hash; works once, then expires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """How a person wants one kind of notification: off, as it happens, or in the digest."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))


class NotificationSent(db.Model):
    """One notice that was sent (or put in a digest), so that it is never sent twice."""

    __table_args__ = (UniqueConstraint("user_id", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When it went out by mail; None while it waits for the person's weekly digest.
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the digest needs to describe it later: the notice's parameters and link.
    data: Mapped[dict | None] = mapped_column(JSON)
