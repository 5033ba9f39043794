"""Findings are computed once per state of the database, whichever process asks first."""

from __future__ import annotations

import gc
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.exchange.services import import_text
from portal.extensions import db as _db
from portal.extensions import derived
from portal.findings import services
from portal.models import AnalysisResult
from portal.runtime import gc_paused
from tests.findings.test_findings import ACCESSIBILITY_FORUM
from tests.helpers import sqlite_copy

AS_OF = date(2026, 11, 23)


def _stored_count() -> int:
    """How many analysis results the database holds."""
    return _db.session.scalar(select(func.count()).select_from(AnalysisResult))


def _refuse_to_analyse(*_args, **_kwargs):
    raise AssertionError("the analysis ran again for a state that was already analysed")


@pytest.fixture
def shared_config(db, demo, test_config, tmp_path):
    """A configuration two apps can share: the worker's database, or the demo in a file."""
    if not test_config.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        return test_config
    url = sqlite_copy(db, tmp_path / "shared.sqlite")
    return type("Shared", (test_config,), {"SQLALCHEMY_DATABASE_URI": url})


def test_a_second_process_reads_what_the_first_computed(shared_config, monkeypatch):
    """A worker (another app on the same database) gets the stored result, no new analysis."""
    first_app, second_app = create_app(shared_config), create_app(shared_config)
    with first_app.app_context():
        first = services.findings(AS_OF, "sv")
        stored = _stored_count()
        _db.engine.dispose()
    assert stored == 1
    monkeypatch.setattr(services, "analyze", _refuse_to_analyse)
    with second_app.app_context():
        second = services.findings(AS_OF, "sv")
        _db.engine.dispose()
    assert second == json.loads(json.dumps(first))
    assert second["findings"], "the demo has findings"


def test_a_write_makes_a_new_state_and_drops_the_old_results(app, db, demo):
    """After a write the findings are computed again and older rows are removed."""
    before = services.findings(AS_OF, "sv")
    old_state = db.session.scalar(select(AnalysisResult.state))
    import_text(json.dumps(ACCESSIBILITY_FORUM), None)
    after = services.findings(AS_OF, "sv")
    assert any(f["kind"] == "uncovered_area" for f in before["findings"])
    assert not any(f["kind"] == "uncovered_area" for f in after["findings"])
    states = db.session.scalars(select(AnalysisResult.state)).all()
    assert states and all(state != old_state for state in states)


def test_language_date_and_thresholds_are_kept_apart(app, db, demo):
    """A result for one language, date or threshold is never served for another."""
    swedish = services.findings(AS_OF, "sv")
    english = services.findings(AS_OF, "en")
    later = services.findings(date(2030, 1, 1), "sv")
    strict = services.findings(AS_OF, "sv", {"parallel_min_overlap": 0.9,
                                             "overload_min_forums": 6})
    assert swedish["findings"][0]["message"] != english["findings"][0]["message"]
    assert later["as_of"] == "2030-01-01" and swedish["as_of"] == "2026-11-23"
    assert strict["settings"]["parallel_min_overlap"] == 0.9
    assert _stored_count() == 4


def test_nothing_is_stored_in_the_middle_of_a_write(app, db, demo):
    """Pending changes in the session are never committed by the cache."""
    from portal.models import Area

    db.session.add(Area(key="halvfardig", name="Halvfärdig"))
    services.findings(AS_OF, "sv")
    assert _stored_count() == 0
    db.session.rollback()
    assert db.session.scalar(select(Area).where(Area.key == "halvfardig")) is None


def test_the_command_reads_a_stored_result(runner, db, demo, monkeypatch):
    """`flask analyze` stores its result, and the next run prints it without analysing."""
    args = ["analyze", "--json", "--as-of", AS_OF.isoformat()]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(services, "analyze", _refuse_to_analyse)
    derived.clear()  # a new process has an empty cache of its own
    second = runner.invoke(args=args)
    assert second.exit_code == 0, second.output
    assert second.output == first.output


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_collector(enabled):
    """The collector is off inside, and as it was afterwards, even after an error."""
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_build_never_freezes_the_heap(monkeypatch):
    """However long a build takes, nothing is frozen (the request's objects would leak)."""
    from portal import runtime

    calls = []
    monkeypatch.setattr(runtime.gc, "freeze", lambda: calls.append("freeze"))
    with gc_paused():
        sum(range(10**6))
    assert calls == []
