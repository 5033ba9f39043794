"""How forums actually meet: absent principals, inactive members, dormant forums and minutes
that were never approved.

A *recorded* meeting has status ``held`` and a ``present`` list (possibly empty). The *window*
is the 365 days up to the as-of date: as-of − 365 days < date ≤ as-of. Meetings after the as-of
date never count.
"""

import datetime

from portal.analysis.index import as_date

WINDOW_DAYS = 365


class ForumMeetings:
    """The held meetings of one forum up to the as-of date."""

    __slots__ = ("last_held", "recorded")

    def __init__(self):
        self.last_held = None  # the latest held meeting on or before the as-of date
        self.recorded = []  # (date, key, present) of recorded meetings on or before as-of


def by_forum(index, as_of, minutes_due_days):
    """Read the meetings once: return ``({forum: ForumMeetings}, unapproved minutes)``.

    The first holds forums with a held meeting on or before ``as_of``; the second is
    ``(meeting, days)`` for held meetings in the window, more than ``minutes_due_days`` days
    before the as-of date, whose minutes were not approved by then (no
    ``minutes_approved_on``, or one after the as-of date), in meeting key order.
    """
    start = window_start(as_of)
    # Held more than ``minutes_due_days`` days before the as-of date: (as_of - day).days > due.
    due_before = as_of - datetime.timedelta(days=minutes_due_days)
    forums = {}
    unapproved = []
    date = datetime.date
    for meeting in index.meetings:
        if meeting.get("status") != "held":
            continue
        day = meeting.get("date")
        if type(day) is not date:
            day = as_date(day)
            if day is None:
                continue
        if day > as_of:
            continue
        forum = meeting.get("forum")
        found = forums.get(forum)
        if found is None:
            found = forums[forum] = ForumMeetings()
            found.last_held = day
        elif day > found.last_held:
            found.last_held = day
        present = meeting.get("present")
        if present is not None:
            found.recorded.append((day, meeting["key"], present))
        if start < day < due_before:
            approved = meeting.get("minutes_approved_on")
            if approved is None or (
                approved if type(approved) is date else as_date(approved)
            ) > as_of:
                unapproved.append((meeting, day, (as_of - day).days))
    for found in forums.values():
        # Latest first: by date, then by meeting key, both descending (code points).
        found.recorded.sort(reverse=True)
    unapproved.sort(key=lambda item: item[0]["key"])
    return forums, unapproved


def window_start(as_of):
    """The day before the window: a meeting is in the window when it is after this day."""
    return as_of - datetime.timedelta(days=WINDOW_DAYS)


def in_window(recorded, as_of):
    """The recorded meetings (latest first) that fall in the window."""
    start = window_start(as_of)
    count = 0
    for day, _key, _present in recorded:
        if day <= start:
            break
        count += 1
    return recorded[:count]


def absent_principals(index, meetings, representation, as_of, min_meetings, min_share):
    """Return ``(organisation, forum, meetings, attended)`` for principals mostly absent.

    The forum has at least ``min_meetings`` recorded meetings in the window, some member
    represents the principal, and the principal was present at fewer than ``min_share`` of
    them (an exact Fraction, strictly less).
    """
    if not representation.principals:
        return []
    num, den = min_share.numerator, min_share.denominator
    found = []
    for forum in sorted(meetings):
        if forum not in index.memberships:
            continue
        recorded = in_window(meetings[forum].recorded, as_of)
        total = len(recorded)
        if total < min_meetings:
            continue
        principals = representation.forum(forum)
        if not principals:
            continue
        attended = dict.fromkeys(principals, 0)
        members = representation.members(forum)
        seats = index.memberships[forum]
        of_person = representation.of_person
        for _day, _key, present in recorded:
            came = set()
            for person in present:
                represented = members.get(person)
                if represented is None:
                    if person in seats:  # a member who represents no principal
                        continue
                    represented = of_person(person)  # not a member: own organisation only
                came |= represented
            for org in came:
                if org in attended:
                    attended[org] += 1
        found.extend(
            (org, forum, total, attended[org])
            for org in principals
            if attended[org] * den < num * total
        )
    found.sort()
    return found


def inactive_members(index, meetings, as_of, last_count):
    """Return ``(person, forum, last_present)`` for members absent from the latest meetings.

    The forum has at least ``last_count`` recorded meetings in the window and the member
    (any role but ``adjunct``) is present at none of the latest ``last_count`` of them.
    ``last_present`` is the latest recorded meeting of the forum, on or before the as-of date
    and not limited to the window, at which the person was present, or None.
    """
    found = []
    for forum in sorted(meetings):
        seats = index.memberships.get(forum)
        if not seats:
            continue
        recorded = meetings[forum].recorded
        latest = in_window(recorded, as_of)
        if len(latest) < last_count:
            continue
        came = set()
        for _day, _key, present in latest[:last_count]:
            came.update(present)
        absent = [
            p for p, seat in seats.items() if seat.get("role") != "adjunct" and p not in came
        ]
        if not absent:
            continue
        last_present = dict.fromkeys(absent)
        waiting = len(absent)
        for day, _key, present in recorded:  # latest first: the first sighting is the latest
            for person in present:
                if person in last_present and last_present[person] is None:
                    last_present[person] = day
                    waiting -= 1
            if not waiting:
                break
        found.extend((person, forum, last_present[person]) for person in absent)
    found.sort(key=lambda item: (item[0], item[1]))
    return found


def dormant_forums(index, meetings, as_of, after_days):
    """Return ``(forum, last_held)`` for forums with members that have stopped meeting.

    The forum has held a meeting on or before the as-of date, but none in the ``after_days``
    days up to it (as-of − after_days < date ≤ as-of).
    """
    start = as_of - datetime.timedelta(days=after_days)
    found = []
    for forum in sorted(meetings):
        if not index.memberships.get(forum):
            continue
        last_held = meetings[forum].last_held
        if last_held <= start:
            found.append((forum, last_held))
    return found
