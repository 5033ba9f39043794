"""The geometry of an indicator's line chart, on plain data; the template draws it as SVG."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 44  # room for the value and date labels
MAX_DATE_LABELS = 6


@dataclass(frozen=True)
class Point:
    """A measured value and where it is drawn."""

    x: float
    y: float
    on: date
    value: float


@dataclass(frozen=True)
class Tick:
    """A value on the vertical axis and its height."""

    y: float
    value: float


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the chart, in SVG user units."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[Point, ...]
    ticks: tuple[Tick, ...]
    labelled: tuple[Point, ...]  # the points whose dates are written under the axis
    target_y: float | None

    @property
    def line(self) -> str:
        """The points as an SVG `points` attribute."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at most `low` to at least `high`, about `count` of them (1, 2, 2.5, 5)."""
    if math.isclose(low, high):
        low, high = (low - 1, high + 1) if low == 0 else (low - abs(low) / 2, high + abs(high) / 2)
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def line_chart(values: list[tuple[date, float]], target: float | None) -> Chart | None:
    """Lay out dated values (any order) and a target; None when there is nothing to draw."""
    ordered = sorted(values)
    if not ordered:
        return None
    numbers = [v for _, v in ordered] + ([target] if target is not None else []) + [0.0]
    ticks = nice_ticks(min(numbers), max(numbers))
    bottom, top = HEIGHT - BOTTOM, TOP
    left, right = LEFT, WIDTH - RIGHT

    def y_of(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    first, last = ordered[0][0].toordinal(), ordered[-1][0].toordinal()

    def x_of(day: date) -> float:
        if first == last:
            return (left + right) / 2
        return left + (day.toordinal() - first) / (last - first) * (right - left)

    points = tuple(Point(x_of(d), y_of(v), d, v) for d, v in ordered)
    return Chart(
        width=WIDTH, height=HEIGHT, left=left, right=right, top=top, bottom=bottom,
        points=points,
        ticks=tuple(Tick(y_of(t), t) for t in ticks),
        labelled=_date_labels(points),
        target_y=y_of(target) if target is not None else None,
    )


def _date_labels(points: tuple[Point, ...]) -> tuple[Point, ...]:
    """All dates when they fit, else the first, the last and a few evenly between."""
    if len(points) <= MAX_DATE_LABELS:
        return points
    step = (len(points) - 1) / (MAX_DATE_LABELS - 1)
    return tuple(points[round(i * step)] for i in range(MAX_DATE_LABELS))
