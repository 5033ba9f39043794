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
