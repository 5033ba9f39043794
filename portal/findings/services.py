"""Running the analysis on the stored map, cached per state of the database and settings."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from flask import current_app, has_request_context
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.analysis.core import (
    DEFAULT_SETTINGS,
    analyze,
    structure_metrics,
    today,
    validate_settings,
)
from portal.audit.services import record
from portal.exchange.exporter import export_document
from portal.extensions import db
from portal.findings.scope import MapLookup, build_lookup
from portal.models import AnalysisResult, AuditEntry, Setting
from portal.runtime import gc_paused

if TYPE_CHECKING:
    from portal.models import User

# Audit actions that do not change the map, so they need not invalidate the cache.
QUIET_ACTIONS = ("login", "logout", "login_failed", "access_denied", "save_snapshot",
                 "export_personal_data")
CACHE_SIZE = 16
HTML_CACHE_SIZE = 256  # rendered fragments of pages, each some tens of kilobytes at most


def state_token() -> int:
    """A number that changes whenever anything in the map (or a setting) is written.

    Read once per transaction (kept in the session's info): a page asks for several cached
    values. A flush, commit or rollback forgets it, so a write is seen at once.
    """
    info = db.session.info
    if _STATE not in info:
        info[_STATE] = _read_state_token()
    return info[_STATE]


def _read_state_token() -> int:
    """The newest audit entry that changed the map."""
    return db.session.scalar(
        select(func.coalesce(func.max(AuditEntry.id), 0)).where(
            AuditEntry.action.not_in(QUIET_ACTIONS)
        )
    )


def _cache(name: str = "findings_cache") -> OrderedDict:
    """The app's own cache, so that two apps (or two test databases) never share entries."""
    return current_app.extensions.setdefault(name, OrderedDict())


def _cached(key: tuple, compute, name: str = "findings_cache", size: int = CACHE_SIZE):
    """Return a cached value or compute and keep it (least recently used goes first)."""
    cache = _cache(name)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    with gc_paused(keep=has_request_context()):  # a command exits soon: nothing to keep
        value = compute()
    cache[key] = value
    while len(cache) > size:
        cache.popitem(last=False)
    return value


def cached_html(name: str, *parts, render: Callable[[], str]) -> Markup:
    """HTML that depends only on the stored map: rendered once per state, language and `parts`.

    For the heavy, user-independent parts of pages (the findings list, the overview tables).
    What `render` produces must not depend on who asks: no names of the user, no CSRF tokens.
    """
    key = (name, state_token(), str(get_locale()), *parts)
    html = _cached(key, render, name="html_cache", size=HTML_CACHE_SIZE)
    return Markup(html)  # noqa: S704 - rendered by our own autoescaping templates


def _shared(key: tuple, compute) -> dict:
    """A JSON result kept in the database for this state, so other processes reuse it.

    Gunicorn's workers and `flask analyze` are separate processes, each with its own cache
    above; the table lets the first one to need a result compute it and the others read it.
    Results are stored from reads only (a GET or the command line, never in the middle of a
    write) and a newer state removes the rows of older ones.
    """
    state = key[1]
    digest = hashlib.sha256(json.dumps(key[:1] + key[2:], default=str).encode()).hexdigest()
    stored = db.session.scalar(select(AnalysisResult.payload).where(
        AnalysisResult.state == state, AnalysisResult.key == digest))
    if stored is not None:
        return json.loads(stored)
    value = compute()
    if _may_store():
        try:
            db.session.execute(insert(AnalysisResult).values(
                state=state, key=digest, payload=json.dumps(value, ensure_ascii=False)))
            db.session.execute(delete(AnalysisResult).where(AnalysisResult.state < state))
            db.session.commit()
        except SQLAlchemyError:  # another process stored it first, or the database is busy
            db.session.rollback()
    return value


def _may_store() -> bool:
    """True when committing cannot carry anything but the cached result with it."""
    session = db.session
    return not (session.new or session.dirty or session.deleted
                or session.info.get(_WROTE))


_WROTE = "findings.wrote"  # set in a session's info while it holds flushed, uncommitted writes
_STATE = "findings.state"  # the state token read in the session's current transaction


@event.listens_for(Session, "after_flush")
def _note_write(session: Session, _context) -> None:
    session.info[_WROTE] = True
    session.info.pop(_STATE, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_write(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_STATE, None)


def current_settings() -> dict[str, Any]:
    """The thresholds in force: stored settings over the defaults of analysis.md."""
    stored = dict(db.session.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_(DEFAULT_SETTINGS))
    ).all())
    return validate_settings({**DEFAULT_SETTINGS, **stored})


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
    return _cached(("map", state_token()),
                   lambda: export_document(db.session, for_analysis=True))


def map_lookup() -> MapLookup:
    """Look-ups over the stored map, built once per state of the database."""
    return _cached(("lookup", state_token()), lambda: build_lookup(map_document()))


def findings(as_of: date | None, lang: str, settings: dict[str, Any] | None = None) -> dict:
    """The findings document for a date, in a language, with the settings in force."""
    effective = validate_settings(settings) if settings else current_settings()
    as_of = as_of or today()  # the key names the day, so tomorrow is computed afresh
    key = ("findings", state_token(), as_of, lang, tuple(sorted(effective.items())))
    return _cached(key, lambda: _shared(
        key, lambda: analyze(map_document(), as_of, effective, lang)))


def metrics() -> dict[str, Any]:
    """Centralities, communities and components of the stored map (slow; cached)."""
    return _cached(("metrics", state_token()), lambda: structure_metrics(map_document()))
