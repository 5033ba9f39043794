"""Stored dates outside the portal's range, listed for an admin to fix.

The portal refuses such dates since it has one range (portal.dates), but rows written before
then, or by hand in SQL, may still hold one. Nothing changes them automatically: a date is
data someone wrote, and only a person can tell what it should have been. `flask check-dates`
and the box on the exchange administration page list each one, with a link to where it is
fixed. `DATE_COLUMNS` names every date column of the schema (a test checks that none is
missing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import defer

from portal.dates import FIRST_DATE, LAST_DATE
from portal.extensions import db
from portal.links import external_url
from portal.models import (
    Action,
    Commission,
    Decision,
    Document,
    Forum,
    ForumMembership,
    IndicatorValue,
    Meeting,
    MeetingSeries,
    Milestone,
    MinutesApprover,
    ProposedAction,
    StatusReport,
)


@dataclass(frozen=True)
class StoredDate:
    """One stored date outside the range: which object, which field, its value, where to fix."""

    kind: str
    name: str
    field: str
    value: str  # as the database writes it: a year past 9999 is no Python date
    url: str


def _link(endpoint: str, **values: Any) -> str:
    """The page's address: relative on a page, absolute on the command line."""
    return (url_for if has_request_context() else external_url)(endpoint, **values)


def _commission(c: Commission) -> tuple[str, str]:
    return c.key, _link("commissions.detail", key=c.key)


# model: (its date columns, what names the object and where it is fixed)
DATE_COLUMNS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[str, str]]]] = {
    Action: (("due_on",), lambda a: (a.key, _link("commissions.edit_action", key=a.key))),
    Milestone: (("due_on", "done_on"), lambda m: (m.key, _link(
        "commissions.detail", key=m.commission.key, _anchor=f"milestone-{m.key}"))),
    Commission: (("starts_on", "ends_on"), _commission),
    StatusReport: (("reported_on",), lambda r: (r.key, _commission(r.commission)[1])),
    Decision: (("decided_on",), lambda d: (d.key, _link("decisions.detail", key=d.key))),
    Document: (("dated_on",), lambda d: (d.key, _link("documents.edit", key=d.key))),
    Forum: (("closed_on",), lambda f: (f.key, _link("directory.forum_edit", key=f.key))),
    ForumMembership: (("ended_on",), lambda m: (
        f"{m.forum.key}: {m.person.key}", _link("directory.members", key=m.forum.key))),
    IndicatorValue: (("measured_on",), lambda v: (
        v.indicator.key, _link("indicators.values", key=v.indicator.key))),
    Meeting: (("meets_on", "minutes_approved_on"), lambda m: (
        m.key, _link("meetings.detail", key=m.key))),
    MeetingSeries: (("starts_on", "ends_on"), lambda s: (
        s.forum.key, _link("meetings.forum_list", key=s.forum.key))),
    ProposedAction: (("due_on",), lambda a: (
        f"{a.decision.key}: {a.title}", _link("decisions.edit", key=a.decision.key))),
    MinutesApprover: (("approved_on",), lambda a: (
        f"{a.meeting.key}: {a.person.key}", _link("meetings.detail", key=a.meeting.key))),
}


def out_of_range() -> list[StoredDate]:
    """Every stored date before FIRST_DATE or after LAST_DATE, by table and field."""
    found = []
    for model, (fields, where) in DATE_COLUMNS.items():
        columns = [getattr(model, f) for f in fields]
        outside = [or_(c < FIRST_DATE, c > LAST_DATE) for c in columns]
        query = (select(model, *(cast(c, String) for c in columns), *outside)
                 .options(*(defer(c) for c in columns))  # read as text only
                 .where(or_(*outside)).order_by(model.id))
        for obj, *values in db.session.execute(query):
            name, url = where(obj)
            texts, flags = values[:len(fields)], values[len(fields):]
            found += [StoredDate(model.__tablename__, name, field, text, url)
                      for field, text, flag in zip(fields, texts, flags, strict=True) if flag]
    return found
