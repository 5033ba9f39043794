"""Meetings of forums: series, agenda, attendance and the approval of their minutes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column
from portal.models.directory import Person
from portal.models.forum import Forum

if TYPE_CHECKING:
    from portal.models.commission import Action, Commission, Milestone, Recommendation

MEETING_STATUSES = ("planned", "held", "cancelled")
ATTENDANCE_STATUSES = ("present", "apologies")
CADENCES = ("weekly", "monthly_weekday", "quarterly")


class MeetingSeries(db.Model):
    """A forum's recurring meetings, planned from a cadence (portal state, not exchanged).

    `weekly` repeats every `interval` weeks; `monthly_weekday` falls on the `nth` `weekday`
    (0 = Monday; nth -1 = the last) of every `interval` months; `quarterly` every third month.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    cadence: Mapped[str] = mapped_column(String(32))
    interval: Mapped[int] = mapped_column(default=1)
    weekday: Mapped[int | None]
    nth: Mapped[int | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    start_time: Mapped[time | None]
    duration: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(String(SHORT_TEXT))

    forum: Mapped[Forum] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(back_populates="series")

    def __repr__(self) -> str:
        return f"<MeetingSeries forum={self.forum_id} {self.cadence}/{self.interval}>"


class Meeting(KeyedMixin, db.Model):
    """One meeting (sammanträde) of a forum, with its agenda, attendance and minutes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    meets_on: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time | None]
    duration: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="planned")
    title: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    place: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    # `present: null` in the format: attendance not recorded. `[]` is recorded, nobody came.
    is_attendance_recorded: Mapped[bool] = mapped_column(default=False)
    minutes_approved_on: Mapped[date | None]
    # When the notice (kallelse) with the agenda was published to the members; portal state.
    agenda_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    forum: Mapped[Forum] = relationship()
    series: Mapped[MeetingSeries | None] = relationship(back_populates="meetings")
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    approvers: Mapped[list[MinutesApprover]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_minutes_approved(self) -> bool:
        """True once the minutes are approved (justerade): they are then final."""
        return self.minutes_approved_on is not None


class AgendaItem(db.Model):
    """A numbered item (ärende) on a meeting's agenda, optionally about a thing in the map."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(SHORT_TEXT))
    notes: Mapped[str | None] = mapped_column(Text)
    commission_id: Mapped[int | None] = mapped_column(
        ForeignKey("commission.id", ondelete="SET NULL"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="SET NULL"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="SET NULL"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    commission: Mapped[Commission | None] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    action: Mapped[Action | None] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship()

    def __repr__(self) -> str:
        return f"<AgendaItem meeting={self.meeting_id} §{self.position} {self.title!r}>"


class _PersonAtMeeting:
    """A row about one person at one meeting: at most one per meeting and person."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )


class Attendance(_PersonAtMeeting, db.Model):
    """A person's presence at a meeting, or their apologies (anmält förhinder)."""

    status: Mapped[str] = mapped_column(String(16))
    # A substitute (ersättare) names whom they stand in for; portal state, not exchanged.
    stands_in_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship(foreign_keys="Attendance.person_id")
    stands_in_for: Mapped[Person | None] = relationship(foreign_keys=[stands_in_for_id])

    def __repr__(self) -> str:
        return f"<Attendance meeting={self.meeting_id} person={self.person_id} {self.status}>"


class MinutesApprover(_PersonAtMeeting, db.Model):
    """A person chosen to approve (justera) a meeting's minutes, and when they did."""

    approved_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship(back_populates="approvers")
    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"<MinutesApprover meeting={self.meeting_id} person={self.person_id}>"
