"""Thresholds of the analysis: defaults, valid ranges, validation and exact arithmetic helpers."""

import decimal
import numbers
from dataclasses import dataclass
from fractions import Fraction

DEFAULT_SETTINGS = {
    "parallel_min_overlap": 0.5,
    "overload_min_forums": 6,
    "participation_min_meetings": 4,
    "participation_min_share": 0.5,
    "inactive_after_meetings": 3,
    "dormant_after_days": 183,
    "minutes_due_days": 14,
}
# Shares are numbers in (0, 1], compared exactly; counts are integers in [low, high].
SHARES = ("parallel_min_overlap", "participation_min_share")
INTEGER_RANGES = {
    "overload_min_forums": (1, 100),
    "participation_min_meetings": (1, 100),
    "inactive_after_meetings": (1, 100),
    "dormant_after_days": (1, 3650),
    "minutes_due_days": (1, 3650),
}


@dataclass(frozen=True)
class Thresholds:
    """The settings as the checks use them: shares as exact Fractions, counts as ints."""

    parallel_min_overlap: Fraction
    overload_min_forums: int
    participation_min_meetings: int
    participation_min_share: Fraction
    inactive_after_meetings: int
    dormant_after_days: int
    minutes_due_days: int


def validate_settings(settings=None):
    """Return the effective settings (defaults filled in); raise ValueError naming a bad setting."""
    return parse_settings(settings)[0]


def parse_settings(settings=None):
    """Validate settings; return ``(effective settings for output, Thresholds)``.

    Exact shares come from the values as given, so a Fraction threshold stays exact even though
    the output shows it as a float.
    """
    # A setting given as None is the same as an absent one (as for fields in the exchange format).
    given = {name: value for name, value in (settings or {}).items() if value is not None}
    unknown = sorted(set(given) - set(DEFAULT_SETTINGS))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}")
    effective = {**DEFAULT_SETTINGS, **given}
    exact = {}
    shown = {}
    for name in DEFAULT_SETTINGS:  # the order of the output's settings object
        value = effective[name]
        if name in SHARES:
            exact[name] = share(value, name)
            shown[name] = float(value)
        else:
            exact[name] = shown[name] = integer(value, name, *INTEGER_RANGES[name])
    return shown, Thresholds(**exact)


def integer(value, name, low, high):
    """Return an integer setting in [low, high]; raise ValueError if it is not one.

    A float with no fractional part (``6.0``, from a JSON number) is accepted as the integer.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not (
        low <= value <= high
    ):
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return int(value)


def share(value, name="parallel_min_overlap"):
    """Return a share setting as an exact Fraction in (0, 1]; raise ValueError if it is not one.

    A float is read as the decimal it was written as (``0.1`` means one tenth, not the binary
    float just above it), so that a user's threshold compares exactly.
    """
    message = f"{name} must be a number in (0, 1], got {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real | decimal.Decimal):
        raise ValueError(message)
    try:
        exact = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)
    except (ValueError, OverflowError):
        raise ValueError(message) from None
    if not 0 < exact <= 1:
        raise ValueError(message)
    return exact


def overlap_threshold(value):
    """Return ``parallel_min_overlap`` as an exact Fraction in (0, 1]; raise ValueError if not."""
    return share(value, "parallel_min_overlap")


def round_half_up(ratio, digits=2):
    """Round an exact ratio half up to ``digits`` decimals, as a float (for display)."""
    scale = 10**digits
    ratio = Fraction(ratio)
    scaled = (2 * ratio.numerator * scale + ratio.denominator) // (2 * ratio.denominator)
    return scaled / scale
