"""Which principals were present at which meetings, counted per forum, from the present marks.

Each present mark stands for a set of principals: those of the person's own organisation,
and for a member acting ``on_behalf_of`` someone those of the membership (a member who
represents no principal has an empty set either way). The marks are expanded to (meeting,
principal) cells of a boolean table, so a principal counts once per meeting however many
people represent it there; the cells are then counted per (forum, principal).
"""

import numpy as np

BLOCK = 1 << 25  # cells of one block of the meeting × principal table (32 MB)


class PrincipalSets:
    """The distinct sets of principals the marks stand for, numbered (0 is the empty set)."""

    def __init__(self):
        self.sets, self._numbers = [], {}
        self.number(())

    def number(self, principals):
        """The number of a set of principals, given one when it is new."""
        principals = frozenset(principals)
        found = self._numbers.get(principals)
        if found is None:
            found = self._numbers[principals] = len(self.sets)
            self.sets.append(principals)
        return found

    def expand(self, mark_row, mark_set):
        """``(rows, columns, principals)``: one cell per principal of each mark's set, the
        columns numbering ``principals`` (sorted)."""
        principals = sorted(set().union(*self.sets))
        column = {org: c for c, org in enumerate(principals)}
        sizes = np.asarray([len(s) for s in self.sets], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        members = np.asarray([column[org] for s in self.sets for org in sorted(s)],
                             dtype=np.int64)
        repeat = sizes[mark_set]
        offsets = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        return (np.repeat(mark_row, repeat),
                members[np.repeat(starts[mark_set], repeat) + offsets], principals)


def attended_by_principal(index, held, representation, judged):
    """Return ``attended(forum, principal)``: how many of the forum's recorded meetings in the
    window the principal was present at, for the forums in ``judged``."""
    table = held.table
    sets = PrincipalSets()
    own = {org: sets.number(representation.of_organisation(org)) for org in index.organisations}
    person_set = np.fromiter(
        (own.get(index.person_organisation(name), 0) for name in table.person_names),
        dtype=np.int64, count=len(table.person_names))
    forum_numbers = {name: f for f, name in enumerate(table.forum_names)}
    judged_forum = np.zeros(len(table.forum_names), dtype=bool)
    judged_forum[[forum_numbers[forum] for forum in judged]] = True
    chosen = np.flatnonzero(held.in_window_mask & judged_forum[table.forum])
    row = np.full(len(table.keys), -1, dtype=np.int64)  # row r of the table: meeting chosen[r]
    row[chosen] = np.arange(len(chosen))
    mark_meeting = table.mark_meetings()
    mark_row = row[mark_meeting]
    kept = mark_row >= 0
    mark_row, person = mark_row[kept], table.people[kept]
    mark_set = person_set[person]
    _acting_on_behalf(index, held, representation, sets, judged,
                      table.forum[mark_meeting[kept]], person, mark_set)
    rows, columns, principals = sets.expand(mark_row, mark_set)
    width = max(len(principals), 1)
    counts = _count_cells(table.forum[chosen], rows, columns, width,
                          len(table.forum_names) * width)
    column = {org: c for c, org in enumerate(principals)}
    return lambda forum, org: int(counts[forum_numbers[forum] * width + column[org]])


def _acting_on_behalf(index, held, representation, sets, judged, mark_forum, person, mark_set):
    """Give the marks of members acting ``on_behalf_of`` someone their membership's set."""
    seats = held.seats(index)
    acting = [i for i in seats.behalf if seats.person[i] >= 0 and seats.names[i][1] in judged]
    if not acting:
        return
    codes = seats.code[acting]
    order = np.argsort(codes)
    codes = codes[order]
    acting_sets = np.asarray(
        [sets.number(representation.members(seats.names[i][1]).get(seats.names[i][0], ()))
         for i in acting], dtype=np.int64)[order]
    mark_code = mark_forum * seats.person_count + person
    where = np.minimum(np.searchsorted(codes, mark_code), len(codes) - 1)
    hit = codes[where] == mark_code
    mark_set[hit] = acting_sets[where[hit]]


def _count_cells(row_forum, rows, columns, width, size):
    """Mark each (row, column) cell once, a block of rows at a time, and count the marked
    cells per (forum of the row, column), as ``counts[forum * width + column]``."""
    counts = np.zeros(size, dtype=np.int64)
    block_rows = max(BLOCK // width, 1)
    for first in range(0, len(row_forum), block_rows):
        end = min(first + block_rows, len(row_forum))
        cells = np.zeros((end - first) * width, dtype=bool)
        inside = (rows >= first) & (rows < end)
        cells[(rows[inside] - first) * width + columns[inside]] = True
        marked = np.flatnonzero(cells)
        counts += np.bincount(row_forum[marked // width + first] * width + marked % width,
                              minlength=size)
    return counts
