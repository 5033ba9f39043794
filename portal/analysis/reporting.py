"""Reporting lines: cycles in ``reports_to`` and forums whose chain never reaches an apex.

Each forum reports to at most one forum, so the reporting lines form a functional graph: every
chain either ends at a forum that reports nowhere or runs into exactly one cycle. Both checks
walk each forum once (iteratively, so long chains cannot exhaust the recursion limit).
"""

_APEX = ("apex",)


def reporting_cycles(index):
    """Return every reporting cycle as a list of forum keys in reporting order, lowest key first."""
    reports_to = index.reports_to
    state = {}  # absent: not visited, 1: on the current walk, 2: finished
    cycles = []
    for start in index.forum_keys:
        path = []
        current = start
        while current is not None and current in reports_to and current not in state:
            state[current] = 1
            path.append(current)
            current = reports_to[current]
        if current is not None and state.get(current) == 1:
            cycle = path[path.index(current) :]
            lowest = cycle.index(min(cycle))
            cycles.append(cycle[lowest:] + cycle[:lowest])
        for forum in path:
            state[forum] = 2
    return cycles


def orphan_forums(index, cycles):
    """Return ``{forum: (reason, end)}`` for every orphan forum.

    ``reason`` is ``no_reporting_line`` (the forum reports nowhere, ``end`` is None),
    ``chain_ends`` (the chain stops at the non-apex forum ``end``) or ``runs_into_cycle`` (the
    chain enters an apex-less cycle at ``end``).
    """
    reports_to, apex = index.reports_to, index.apex
    # Where the walk from a forum stops: at an apex, at a chain end, or in an apex-less cycle.
    terminal = {forum: _APEX for forum in apex}
    on_cycle = set()
    for cycle in cycles:
        on_cycle.update(cycle)
        has_apex = any(forum in apex for forum in cycle)
        for forum in cycle:
            terminal[forum] = _APEX if has_apex else ("cycle", forum)
    for start in index.forum_keys:
        path = []
        current = start
        while current not in terminal:
            path.append(current)
            following = reports_to[current]
            if following is None or following not in reports_to:
                terminal[current] = ("end", current)
                path.pop()
                break
            current = following
        end = terminal[current]
        for forum in path:
            terminal[forum] = end
    orphans = {}
    for forum in index.forum_keys:
        end = terminal[forum]
        if end is _APEX or forum in on_cycle:
            continue
        kind, where = end
        if kind == "cycle":
            orphans[forum] = ("runs_into_cycle", where)
        elif where == forum:
            orphans[forum] = ("no_reporting_line", None)
        else:
            orphans[forum] = ("chain_ends", where)
    return orphans
