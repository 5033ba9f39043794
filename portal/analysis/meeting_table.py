"""The meetings of a map as columns: one array per field, the present marks as one array.

The national map holds about 126,000 meetings and a million present marks. As dicts with a
list of names each they cost more to build and to walk than the rest of the analysis; as
numpy arrays (forums and people as numbers, dates as day numbers) the meeting kinds are a few
array operations. ``MeetingTable.of`` takes either form: the database gives the columns
directly (``portal.exchange.exporter``), a document read from JSON gives dicts.

The table is also a sequence of the meeting dicts the analysis reads (key, forum, date,
status, present, minutes_approved_on), built on first use, for readers of the document that
look at single meetings.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import numpy as np

from portal.analysis.dates import as_date

NO_DAY = 0  # a day number no real date has (date.toordinal() starts at 1)


class MeetingTable(Sequence):
    """Meetings as parallel columns; ``people[starts[i]:starts[i + 1]]`` were present at i.

    ``forum`` and ``people`` hold positions in ``forum_names`` and ``person_names``; ``day``
    and ``approved`` hold ``date.toordinal()`` (``NO_DAY`` for none); ``recorded`` says
    whether attendance was recorded (``present`` is a list, possibly empty, not None).
    """

    def __init__(self, keys, statuses, forum, forum_names, day, approved, recorded, starts,
                 people, person_names):
        self.keys = keys
        self.statuses = statuses
        self.forum = np.asarray(forum, dtype=np.int64)
        self.forum_names = forum_names
        self.day = np.asarray(day, dtype=np.int64)
        self.approved = np.asarray(approved, dtype=np.int64)
        self.recorded = np.asarray(recorded, dtype=bool)
        self.held = np.fromiter((s == "held" for s in statuses), dtype=bool, count=len(keys))
        self.starts = np.asarray(starts, dtype=np.int64)
        self.people = np.asarray(people, dtype=np.int64)
        self.person_names = person_names
        self._dicts = None
        self._mark_meetings = None

    @classmethod
    def of(cls, meetings) -> MeetingTable:
        """The table itself, or a table of an iterable of meeting dicts."""
        if isinstance(meetings, MeetingTable):
            return meetings
        return cls.from_dicts(meetings or ())

    @classmethod
    def from_dicts(cls, meetings) -> MeetingTable:
        """Columns of meeting dicts as the exchange format has them (dates as text or dates).

        One pass per field: a map from a file has as many meetings as the stored one.
        """
        meetings = list(meetings)
        forum_keys = [m.get("forum") for m in meetings]
        forum_names = list(dict.fromkeys(forum_keys))
        forum_numbers = {name: f for f, name in enumerate(forum_names)}
        days = _Ordinals()
        presents = [m.get("present") for m in meetings]
        marks = [person for present in presents if present for person in present]
        person_names = list(dict.fromkeys(marks))
        person_numbers = {name: p for p, name in enumerate(person_names)}
        sizes = np.fromiter((len(present) if present else 0 for present in presents),
                            dtype=np.int64, count=len(presents))
        return cls(
            [m.get("key") for m in meetings], [m.get("status") for m in meetings],
            [forum_numbers[key] for key in forum_keys], forum_names,
            [days[m.get("date")] for m in meetings],
            [days[m.get("minutes_approved_on")] for m in meetings],
            [present is not None for present in presents],
            np.concatenate(([0], np.cumsum(sizes))),
            np.fromiter(map(person_numbers.__getitem__, marks), dtype=np.int64,
                        count=len(marks)),
            person_names)

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, position):
        return self._as_dicts()[position]

    def __iter__(self):
        return iter(self._as_dicts())

    def _as_dicts(self) -> list[dict]:
        if self._dicts is None:
            names, forum_names = self.person_names, self.forum_names
            people, starts = self.people.tolist(), self.starts.tolist()
            dicts = []
            for i, (key, status, forum, day, approved, recorded) in enumerate(zip(
                    self.keys, self.statuses, self.forum.tolist(), self.day.tolist(),
                    self.approved.tolist(), self.recorded.tolist(), strict=True)):
                held = status == "held"
                dicts.append({
                    "key": key, "forum": forum_names[forum], "date": _date(day),
                    "status": status,
                    "present": [names[p] for p in people[starts[i]:starts[i + 1]]]
                    if held and recorded else None,
                    "minutes_approved_on": _date(approved) if held else None})
            self._dicts = dicts
        return self._dicts

    def dated_keys(self):
        """``(key, forum, date)`` of each meeting, without building the meeting dicts."""
        dates = {}
        for key, forum, day in zip(self.keys, self.forum.tolist(), self.day.tolist(),
                                   strict=True):
            found = dates.get(day)
            if found is None:
                found = dates[day] = _date(day)
            yield key, self.forum_names[forum], found

    def mark_meetings(self) -> np.ndarray:
        """The position of the meeting of each present mark (parallel to ``people``)."""
        if self._mark_meetings is None:
            self._mark_meetings = np.repeat(np.arange(len(self.keys), dtype=np.int64),
                                            np.diff(self.starts))
        return self._mark_meetings

    def recorded_order(self, as_of: datetime.date) -> np.ndarray:
        """The positions of the recorded meetings on or before the as-of date, by forum, then
        oldest first: by date, then by meeting key (code points)."""
        chosen = np.flatnonzero(self.held & self.recorded & (self.day != NO_DAY)
                                & (self.day <= as_of.toordinal()))
        chosen = chosen[np.lexsort((self.day[chosen], self.forum[chosen]))]
        forum, day = self.forum[chosen], self.day[chosen]
        same = (forum[1:] == forum[:-1]) & (day[1:] == day[:-1])
        if same.any():  # two meetings of a forum on one day: the greater key is the later
            chosen = np.asarray(self._by_key_on_equal_days(chosen.tolist(), same.tolist()),
                                dtype=np.int64)
        return chosen

    def recorded_by_forum(self, as_of: datetime.date) -> dict[str, list[int]]:
        """``{forum: [meeting position, ...]}`` of the recorded meetings on or before the
        as-of date, latest first: by date, then by meeting key, both descending."""
        ordered = self.recorded_order(as_of)
        forum = self.forum[ordered]
        cuts = (np.flatnonzero(forum[1:] != forum[:-1]) + 1).tolist()
        names, ordered = self.forum_names, ordered.tolist()
        return {names[int(forum[start])]: ordered[start:end][::-1]
                for start, end in zip([0, *cuts], [*cuts, len(ordered)], strict=True)
                if end > start}

    def _by_key_on_equal_days(self, ordered: list[int], same: list[bool]) -> list[int]:
        """Sort each run of meetings of one forum on one day by key (ascending)."""
        keys = self.keys
        result, run = [], [ordered[0]]
        for position, tie in zip(ordered[1:], same, strict=True):
            if tie:
                run.append(position)
                continue
            result.extend(sorted(run, key=keys.__getitem__))
            run = [position]
        result.extend(sorted(run, key=keys.__getitem__))
        return result

    def present(self, position: int) -> list[str]:
        """The keys of the people present at one meeting."""
        names = self.person_names
        return [names[p] for p in self.people[self.starts[position]:self.starts[position + 1]]
                .tolist()]


class _Ordinals(dict):
    """Day numbers of dates (or ISO text), each value converted once: two years of meetings
    fall on a few hundred days."""

    __slots__ = ()

    def __missing__(self, value) -> int:
        found = self[value] = _ordinal(value)
        return found


def _ordinal(value) -> int:
    """A date (or ISO text) as its day number; ``NO_DAY`` for none or text that is no date."""
    if value is None:
        return NO_DAY
    if type(value) is not datetime.date:
        value = as_date(value)
        if value is None:
            return NO_DAY
    return value.toordinal()


def _date(day: int) -> datetime.date | None:
    return None if day == NO_DAY else datetime.date.fromordinal(day)
