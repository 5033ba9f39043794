"""How forums actually meet: absent principals, inactive members, dormant forums and minutes
that were never approved.

A *recorded* meeting has status ``held`` and a ``present`` list (possibly empty). The *window*
is the 365 days up to the as-of date: as-of − 365 days < date ≤ as-of. Meetings after the as-of
date never count.

The meetings come as a ``MeetingTable`` (columns); each kind is a few array operations over
all meetings and marks at once, and Python loops only over forums and their members.
"""

import datetime
from itertools import repeat

import numpy as np

from portal.analysis.meeting_table import NO_DAY
from portal.analysis.presence import attended_by_principal

WINDOW_DAYS = 365


class HeldMeetings:
    """The held meetings up to one as-of date, read once for the four kinds."""

    def __init__(self, table, as_of, minutes_due_days):
        self.table = table
        self.as_of = as_of
        day = table.day
        self.held = table.held & (day != NO_DAY) & (day <= as_of.toordinal())
        forums = np.flatnonzero(np.bincount(table.forum[self.held],
                                            minlength=len(table.forum_names)))
        last = np.zeros(len(table.forum_names), dtype=np.int64)
        np.maximum.at(last, table.forum[self.held], day[self.held])
        # forum -> the date of its latest held meeting on or before the as-of date
        self.last_held = {table.forum_names[f]: datetime.date.fromordinal(int(last[f]))
                          for f in forums.tolist()}
        self.recorded = self.held & table.recorded
        in_window = self.recorded & (day > window_start(as_of).toordinal())
        counts = np.bincount(table.forum[in_window], minlength=len(table.forum_names))
        # forum -> recorded meetings in the window
        self.in_window = {table.forum_names[f]: int(counts[f])
                          for f in np.flatnonzero(counts).tolist()}
        self.in_window_mask = in_window
        self.window_counts = counts
        self.unapproved = self._unapproved(minutes_due_days)
        self._latest = None
        self._order = None
        self._seats = None

    def _unapproved(self, minutes_due_days):
        """``(key, forum, date, days)`` of held meetings in the window, more than
        ``minutes_due_days`` days before the as-of date, whose minutes were not approved by
        then (no ``minutes_approved_on``, or one after the as-of date), in key order."""
        table, as_of = self.table, self.as_of.toordinal()
        due_before = as_of - minutes_due_days
        day, approved = table.day, table.approved
        late = np.flatnonzero(
            self.held & (day > window_start(self.as_of).toordinal()) & (day < due_before)
            & ((approved == NO_DAY) | (approved > as_of)))
        found = [
            (table.keys[m], table.forum_names[f], datetime.date.fromordinal(d), as_of - d)
            for m, f, d in zip(late.tolist(), table.forum[late].tolist(), day[late].tolist(),
                               strict=True)
        ]
        found.sort(key=lambda item: item[0])
        return found

    def latest_first(self):
        """``{forum: [meeting position, ...]}`` of recorded meetings, latest first."""
        if self._latest is None:
            self._latest = self.table.recorded_by_forum(self.as_of)
        return self._latest

    def order(self):
        """The recorded meetings by forum, oldest first (``MeetingTable.recorded_order``)."""
        if self._order is None:
            self._order = self.table.recorded_order(self.as_of)
        return self._order

    def seats(self, index):
        """The memberships of the forums that have held meetings, as arrays (``Seats``)."""
        if self._seats is None:
            self._seats = Seats(index, self.table)
        return self._seats


class Seats:
    """Memberships as arrays: the forum and person of each (positions in the meeting table;
    -1 for someone never present), whether the role is ``adjunct``, and which seats act
    ``on_behalf_of`` someone. Forums that never met are left out."""

    def __init__(self, index, table):
        forum_numbers = {name: f for f, name in enumerate(table.forum_names)}
        person_number = {name: p for p, name in enumerate(table.person_names)}.get
        sizes, forum_list, people, names, roles, behalf = [], [], [], [], [], []
        for forum, seats in index.memberships.items():
            f = forum_numbers.get(forum)
            if f is None:
                continue
            start = len(names)
            names += zip(seats, repeat(forum))
            forum_list.append(f)
            sizes.append(len(seats))
            people += map(person_number, seats, repeat(-1))
            values = seats.values()
            roles += [seat.get("role") for seat in values]
            behalf += [start + offset for offset, seat in enumerate(values)
                       if seat.get("on_behalf_of")]
        forums = np.repeat(np.asarray(forum_list, dtype=np.int64),
                           np.asarray(sizes, dtype=np.int64))
        self.names = names  # (person, forum) of each seat
        self.forum = forums
        self.person = np.asarray(people, dtype=np.int64)
        self.adjunct = np.fromiter((role == "adjunct" for role in roles), dtype=bool,
                                   count=len(roles))
        self.behalf = behalf
        self.person_count = len(table.person_names)
        # forum * people + person, or -1 for someone never present
        self.code = np.where(self.person >= 0, self.forum * self.person_count + self.person, -1)


def window_start(as_of):
    """The day before the window: a meeting is in the window when it is after this day."""
    return as_of - datetime.timedelta(days=WINDOW_DAYS)


def absent_principals(index, held, representation, min_meetings, min_share):
    """Return ``(organisation, forum, meetings, attended)`` for principals mostly absent.

    The forum has at least ``min_meetings`` recorded meetings in the window, some member
    represents the principal, and the principal was present at fewer than ``min_share`` of
    them (an exact Fraction, strictly less).
    """
    if not representation.principals:
        return []
    judged = {}  # forum -> its principals, for the forums judged
    for forum, total in held.in_window.items():
        if total >= min_meetings and forum in index.memberships:
            principals = representation.forum(forum)
            if principals:
                judged[forum] = principals
    if not judged:
        return []
    attended = attended_by_principal(index, held, representation, judged)
    num, den = min_share.numerator, min_share.denominator
    found = []
    for forum, principals in judged.items():
        total = held.in_window[forum]
        for org in principals:
            came = attended(forum, org)
            if came * den < num * total:
                found.append((org, forum, total, came))
    found.sort()
    return found


def inactive_members(index, held, last_count):
    """Return ``(person, forum, last_present)`` for members absent from the latest meetings.

    The forum has at least ``last_count`` recorded meetings in the window and the member
    (any role but ``adjunct``) is present at none of the latest ``last_count`` of them.
    ``last_present`` is the latest recorded meeting of the forum, on or before the as-of date
    and not limited to the window, at which the person was present, or None.
    """
    table = held.table
    seats = held.seats(index)
    judged = ~seats.adjunct & (held.window_counts[seats.forum] >= last_count)
    if not judged.any():
        return []
    # The latest ``last_count`` recorded meetings of each forum (all in the window).
    ordered = held.order()
    forum = table.forum[ordered]
    from_end = np.searchsorted(forum, forum, side="right") - np.arange(len(ordered))
    last = np.zeros(len(table.keys), dtype=bool)
    last[ordered[from_end <= last_count]] = True
    mark_meeting = table.mark_meetings()
    at_last = last[mark_meeting]
    came = _distinct(table.forum[mark_meeting[at_last]] * seats.person_count
                     + table.people[at_last])
    absent = judged & ~_among(seats.code, came)
    chosen = np.flatnonzero(absent)
    codes = seats.code[chosen]
    last_present = _last_present(table, held, codes, mark_meeting, seats.person_count)
    found = [(*seats.names[i], last_present.get(c))
             for i, c in zip(chosen.tolist(), codes.tolist(), strict=True)]
    found.sort(key=lambda item: (item[0], item[1]))
    return found


def _distinct(values):
    """The distinct values, sorted (``np.unique`` without its import of ``numpy.ma``)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _among(values, sorted_values):
    """Which of ``values`` are in the sorted array ``sorted_values``."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[where] == values


def _last_present(table, held, wanted, mark_meeting, person_count):
    """``{forum * people + person: date}`` of the latest recorded meeting on or before the
    as-of date at which each wanted (forum, person) was present."""
    wanted = _distinct(wanted[wanted >= 0])
    if not len(wanted):
        return {}
    # Only the marks of the wanted people matter: a few of the million, found in one pass.
    of_wanted = np.zeros(person_count, dtype=bool)
    of_wanted[wanted % person_count] = True
    marks = np.flatnonzero(of_wanted[table.people])
    marks = marks[held.recorded[mark_meeting[marks]]]
    code = table.forum[mark_meeting[marks]] * person_count + table.people[marks]
    where = np.minimum(np.searchsorted(wanted, code), len(wanted) - 1)
    hit = wanted[where] == code
    best = np.zeros(len(wanted), dtype=np.int64)
    np.maximum.at(best, where[hit], table.day[mark_meeting[marks[hit]]])
    return {c: datetime.date.fromordinal(d)
            for c, d in zip(wanted.tolist(), best.tolist(), strict=True) if d != NO_DAY}


def dormant_forums(index, held, as_of, after_days):
    """Return ``(forum, last_held)`` for forums with members that have stopped meeting.

    The forum has held a meeting on or before the as-of date, but none in the ``after_days``
    days up to it (as-of − after_days < date ≤ as-of).
    """
    start = as_of - datetime.timedelta(days=after_days)
    return [(forum, last) for forum, last in sorted(held.last_held.items())
            if index.memberships.get(forum) and last <= start]
