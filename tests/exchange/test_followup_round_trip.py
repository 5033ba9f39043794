"""A commission's follow-up (status reports and risks) survives export, import and the move to
another installation; a status report stays a record on the way."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.commissions.followup import add_risk, add_status_report
from portal.exchange import services
from portal.exchange.validator import ExchangeValidationError
from portal.extensions import db as _db
from portal.models import Commission, User

COMMISSION = "fm2024-samspel"


@pytest.fixture
def followed_up(db, demo):
    """The 2024 commission with a status report and a risk (no owner) made in the portal."""
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    commission = db.session.scalar(select(Commission).where(Commission.key == COMMISSION))
    report = add_status_report(admin, commission, reported_on=date(2025, 6, 30),
                               light="at_risk", comment="Sen start i NSV Umeå")
    risk = add_risk(admin, commission, title="Brist på distriktsläkare", likelihood=4,
                    consequence=3, owner_person=None, mitigation="Hyrläkare under tiden",
                    status="mitigated")
    return report.key, risk.key


def _entry(doc: dict, name: str, key: str) -> dict:
    return next(e for e in doc[name] if e["key"] == key)


def test_the_export_carries_the_follow_up_and_imports_unchanged(db, followed_up):
    """Every field is exported as the format says; importing the export changes nothing."""
    report_key, risk_key = followed_up
    exported = services.export_text()
    doc = json.loads(exported)
    assert _entry(doc, "status_reports", report_key) == {
        "key": report_key, "commission": COMMISSION, "date": "2025-06-30",
        "light": "at_risk", "comment": "Sen start i NSV Umeå"}
    assert _entry(doc, "risks", risk_key) == {
        "key": risk_key, "title": "Brist på distriktsläkare", "commission": COMMISSION,
        "likelihood": 4, "consequence": 3, "owner_person": None,
        "mitigation": "Hyrläkare under tiden", "status": "mitigated"}
    assert not services.import_text(exported, None).changed


def test_a_changed_status_report_in_a_file_is_refused_but_a_risk_may_change(db, followed_up):
    """The report is a record: its light cannot change by import (located at the entry); the
    risk register is kept up to date, so a risk's status may."""
    report_key, risk_key = followed_up
    doc = json.loads(services.export_text())
    _entry(doc, "status_reports", report_key)["light"] = "on_track"
    with pytest.raises(ExchangeValidationError) as refused:
        services.import_text(json.dumps(doc), None)
    assert [str(e) for e in refused.value.errors] == [
        f"status_reports[{report_key}]: is a record and cannot change"]
    doc = json.loads(services.export_text())
    _entry(doc, "risks", risk_key)["status"] = "closed"
    assert services.import_text(json.dumps(doc), None).updated["risks"] == 1


def test_the_follow_up_moves_to_another_installation(db, followed_up, live_portal):
    """Exported here, imported into an empty installation (its own database), exported there:
    the status reports and risks are the same, key for key."""
    exported = json.loads(services.export_text())
    with live_portal.app.app_context():
        services.import_text(json.dumps(exported), None)
        again = json.loads(services.export_text())
        _db.session.remove()
    for name in ("status_reports", "risks"):
        assert sorted(again[name], key=lambda e: e["key"]) == sorted(
            exported[name], key=lambda e: e["key"]), name
