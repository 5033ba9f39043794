"""Running the analysis on the stored map, cached per version of the map and settings.

The caching itself (the map's version, the process's caches, the shared `analysis_result`
table) is `portal.derived`; this module says what is computed and under which key.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from portal.analysis.core import (
    DEFAULT_SETTINGS,
    analyze,
    structure_metrics,
    today,
    validate_settings,
)
from portal.audit.services import record
from portal.exchange.exporter import export_document
from portal.extensions import db, derived
from portal.findings.scope import MapLookup, build_lookup
from portal.models import Setting

if TYPE_CHECKING:
    from portal.models import User


def state_token() -> int | None:
    """The map's version (portal.derived): changes whenever anything in the map is written."""
    return derived.version()


def current_settings() -> dict[str, Any]:
    """The thresholds in force: stored settings over the defaults of analysis.md."""
    table = Setting.__table__  # a Core select: `flask analyze` configures no ORM mappers
    stored = dict(db.session.execute(
        select(table.c.key, table.c.value).where(table.c.key.in_(DEFAULT_SETTINGS))
    ).all())
    kept = {}
    for key, value in stored.items():  # a value stored under older, wider ranges is not used
        try:
            validate_settings({key: value})
        except ValueError:
            continue
        kept[key] = value
    return validate_settings({**DEFAULT_SETTINGS, **kept})


def save_settings(actor: User, settings: dict[str, Any]) -> dict[str, Any]:
    """Store new thresholds (validated), record the change and commit.

    :raise ValueError: naming the setting that is not acceptable.
    """
    before = current_settings()
    after = validate_settings({**before, **settings})
    for key, value in after.items():
        row = db.session.get(Setting, key)
        if row is None:
            db.session.add(Setting(key=key, value=value))
        else:
            row.value = value
    record(actor, "update", "setting", "analysis", before=before, after=after)
    db.session.commit()
    return after


def map_document() -> dict[str, Any]:
    """The stored map as a normalized document, read once per state of the database."""
    return derived.cached(("map", state_token()),
                          lambda: export_document(db.session, for_analysis=True))


def map_lookup() -> MapLookup:
    """Look-ups over the stored map, built once per state of the database."""
    return derived.cached(("lookup", state_token()), lambda: build_lookup(map_document()))


def findings(as_of: date | None, lang: str, settings: dict[str, Any] | None = None) -> dict:
    """The findings document for a date, in a language, with the settings in force."""
    effective = validate_settings(settings) if settings else current_settings()
    as_of = as_of or today()  # the key names the day, so tomorrow is computed afresh
    key = ("findings", state_token(), as_of, lang, tuple(sorted(effective.items())))
    return derived.cached(key, lambda: derived.shared(
        key, lambda: analyze(map_document(), as_of, effective, lang)))


def metrics() -> dict[str, Any]:
    """Centralities, communities and components of the stored map (slow; cached)."""
    return derived.cached(("metrics", state_token()),
                          lambda: structure_metrics(map_document()))
