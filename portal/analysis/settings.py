"""Thresholds of the analysis: defaults, validation and exact arithmetic helpers."""

import decimal
import numbers
from fractions import Fraction

DEFAULT_SETTINGS = {"parallel_min_overlap": 0.5, "overload_min_forums": 6}


def validate_settings(settings=None):
    """Return the effective settings (defaults filled in); raise ValueError naming a bad setting."""
    return parse_settings(settings)[0]


def parse_settings(settings=None):
    """Validate settings; return ``(effective settings for output, exact overlap, overload)``.

    The exact overlap comes from the value as given, so a Fraction threshold stays exact even
    though the output shows it as a float.
    """
    # A setting given as None is the same as an absent one (as for fields in the exchange format).
    given = {name: value for name, value in (settings or {}).items() if value is not None}
    unknown = sorted(set(given) - set(DEFAULT_SETTINGS))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}")
    effective = {**DEFAULT_SETTINGS, **given}
    overlap = effective["parallel_min_overlap"]
    threshold = overlap_threshold(overlap)
    overload = effective["overload_min_forums"]
    if isinstance(overload, bool) or not isinstance(overload, numbers.Integral) or overload < 1:
        raise ValueError(f"overload_min_forums must be an integer >= 1, got {overload!r}")
    shown = {
        "parallel_min_overlap": float(overlap),
        "overload_min_forums": int(overload),
    }
    return shown, threshold, int(overload)


def overlap_threshold(value):
    """Return ``parallel_min_overlap`` as an exact Fraction in (0, 1]; raise ValueError if not.

    A float is read as the decimal it was written as (``0.1`` means one tenth, not the binary
    float just above it), so that a user's threshold compares exactly.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real | decimal.Decimal):
        raise ValueError(f"parallel_min_overlap must be a number in (0, 1], got {value!r}")
    try:
        exact = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)
    except (ValueError, OverflowError):
        raise ValueError(
            f"parallel_min_overlap must be a number in (0, 1], got {value!r}"
        ) from None
    if not 0 < exact <= 1:
        raise ValueError(f"parallel_min_overlap must be a number in (0, 1], got {value!r}")
    return exact


def round_half_up(ratio, digits=2):
    """Round an exact ratio half up to ``digits`` decimals, as a float (for display)."""
    scale = 10**digits
    ratio = Fraction(ratio)
    scaled = (2 * ratio.numerator * scale + ratio.denominator) // (2 * ratio.denominator)
    return scaled / scale
