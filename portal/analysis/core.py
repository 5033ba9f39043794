"""Public interface of the network analysis: findings and structure metrics of a map.

Pure functions over a normalized ``samverkan/1`` document (every list and optional field
present, as the exporter writes a map): no Flask, no database. ``analyze`` produces the
``samverkan-findings/1`` document of analysis.md and needs the standard library and numpy (for
the meetings); ``structure_metrics`` (networkx) is slower and meant to be cached.
"""

import datetime
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from portal.analysis.dates import as_date
from portal.analysis.findings import KINDS, Context, collect
from portal.analysis.index import MapIndex
from portal.analysis.messages import LANGUAGES, render
from portal.analysis.pairwise import parallel_pairs_pairwise
from portal.analysis.settings import DEFAULT_SETTINGS, parse_settings, validate_settings

FORMAT = "samverkan-findings/1"
TIMEZONE = "Europe/Stockholm"

__all__ = [
    "DEFAULT_SETTINGS",
    "FORMAT",
    "KINDS",
    "analyze",
    "parallel_pairs_pairwise",
    "structure_metrics",
    "today",
    "validate_settings",
]


def today():
    """Return today's date in Europe/Stockholm, the default as-of date."""
    return datetime.datetime.now(ZoneInfo(TIMEZONE)).date()


def analyze(
    doc: dict,
    as_of: datetime.date | None = None,
    settings: Mapping | None = None,
    lang: str = "sv",
) -> dict:
    """Return the findings document (``samverkan-findings/1``) of a normalized map.

    :raise ValueError: for an unknown or invalid setting, or a language other than sv/en.
    """
    effective, thresholds = parse_settings(settings)
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    as_of = today() if as_of is None else as_date(as_of)
    context = Context(as_of=as_of, settings=thresholds)
    index = MapIndex(doc)
    findings = collect(index, context)
    for finding in findings:
        finding["message"] = render(finding, index, lang)
    return {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "settings": effective,
        "findings": findings,
    }


def structure_metrics(doc: dict, seed: int = 42) -> dict:
    """Return degrees, betweenness, communities and components of a map (see ``metrics``)."""
    # Imported here so that ``analyze`` never pays for importing networkx.
    from portal.analysis.metrics import structure_metrics as compute

    return compute(doc, seed=seed)
