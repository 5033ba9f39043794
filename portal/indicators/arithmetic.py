"""Indicator arithmetic on plain data: latest value, change and distance to target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Summary:
    """What a reader wants to know first about an indicator."""

    first: tuple[date, float] | None
    latest: tuple[date, float] | None
    change: float | None  # latest minus first
    to_target: float | None  # target minus latest
    target_reached: bool | None


def summarise(values: list[tuple[date, float]], target: float | None) -> Summary:
    """Summarise dated values (in any order) against an optional target."""
    ordered = sorted(values)
    if not ordered:
        return Summary(None, None, None, None, None)
    first, latest = ordered[0], ordered[-1]
    change = latest[1] - first[1] if len(ordered) > 1 else None
    if target is None:
        return Summary(first, latest, change, None, None)
    # Whether the target is a ceiling or a floor follows the direction of travel:
    # a falling series (costs) reaches its target from above.
    falling = change is not None and change < 0
    reached = latest[1] <= target if falling else latest[1] >= target
    return Summary(first, latest, change, target - latest[1], reached)


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation's latest value of an indicator and its change since the one before."""

    key: str
    name: str
    latest: tuple[date, float]
    previous: tuple[date, float] | None
    change: float | None  # latest minus previous, in the indicator's unit (points for %)
    improved: bool | None  # whether the change goes the better way


def per_organisation(values: list[tuple[str, str, date, float]], higher_is_better: bool,
                     sort: str = "name", descending: bool = False) -> list[OrganisationRow]:
    """Rows per organisation from (key, name, date, value), sorted by name, latest or change.

    A row without a change sorts last whichever the direction.
    """
    series: dict[tuple[str, str], list[tuple[date, float]]] = {}
    for key, name, on, value in values:
        series.setdefault((key, name), []).append((on, value))
    rows = []
    for (key, name), points in series.items():
        points.sort()
        latest = points[-1]
        previous = points[-2] if len(points) > 1 else None
        change = latest[1] - previous[1] if previous else None
        improved = None if not change else (change > 0) == higher_is_better
        rows.append(OrganisationRow(key, name, latest, previous, change, improved))
    if sort == "latest":
        rows.sort(key=lambda r: (r.latest[1], r.name), reverse=descending)
    elif sort == "change":
        known = sorted((r for r in rows if r.change is not None),
                       key=lambda r: (r.change, r.name), reverse=descending)
        rows = known + sorted((r for r in rows if r.change is None), key=lambda r: r.name)
    else:
        rows.sort(key=lambda r: r.name.lower(), reverse=descending)
    return rows
