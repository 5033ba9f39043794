"""The format's contract where the review found the portal off: empty text, held-only fields,
apologies the portal keeps for a planned meeting."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.exchange import services
from portal.exchange.messages import error_text
from portal.exchange.validator import ExchangeValidationError, check_document
from portal.models import AuditEntry
from portal.models.followup import Risk, StatusReport
from portal.models.meeting import Attendance, Meeting
from tests.exchange.validator_sample import valid_document

# Every optional text field of every list, given as an empty string.
EMPTY_TEXT = {
    "people": ("title", "email"),
    "areas": ("description",),
    "forums": ("mandate", "meets"),
    "documents": ("summary",),
    "milestones": ("code",),
    "indicators": ("unit", "definition", "source", "target_source"),
    "meetings": ("title", "place"),
    "decisions": ("text",),
    "status_reports": ("comment",),
    "risks": ("mitigation",),
}


def _with_empty_text() -> dict:
    doc = valid_document()
    for name, fields in EMPTY_TEXT.items():
        for entry in doc[name]:
            entry.update(dict.fromkeys(fields, ""))
    return doc


def _audit_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_status_report_with_an_empty_comment_imports_twice(db):
    """`"comment": ""` is the same record the second time, not a change to it."""
    doc = valid_document()
    doc["status_reports"][0]["comment"] = ""
    services.import_text(json.dumps(doc), None)
    second = services.import_text(json.dumps(doc), None)
    assert not second.changed
    assert second.unchanged["status_reports"] == 1


def test_empty_optional_text_everywhere_changes_nothing_the_second_time(db):
    """The second import of a file with "" in every optional text field writes no entry."""
    doc = _with_empty_text()
    services.import_text(json.dumps(doc), None)
    audited = _audit_count(db)
    second = services.import_text(json.dumps(doc), None)
    assert not second.changed, second.as_dict()
    # Only the import's own note: no entity was rewritten or audited.
    assert _audit_count(db) == audited + 1
    assert db.session.scalar(select(Risk.version).where(Risk.key == "risk1")) == 1


def test_empty_text_is_kept_apart_from_null_in_storage_export_and_records(db):
    """`""` is a value and `null` its absence: each is stored, exported and compared as given."""
    services.import_text(json.dumps(_with_empty_text()), None)
    exported = json.loads(services.export_text())
    for name, fields in EMPTY_TEXT.items():
        for entry in exported[name]:
            assert all(entry[field] == "" for field in fields), (name, entry)
    full = valid_document()
    doc = {"format": "samverkan/1", "status_reports": full["status_reports"],
           "risks": full["risks"]}
    doc["status_reports"][0]["comment"] = None
    doc["status_reports"][0]["key"] = "sr2"
    del doc["risks"][0]["mitigation"]
    services.import_text(json.dumps(doc), None)
    exported = json.loads(services.export_text())
    sr2 = next(r for r in exported["status_reports"] if r["key"] == "sr2")
    assert sr2["comment"] is None and exported["risks"][0]["mitigation"] is None
    assert db.session.scalar(select(StatusReport.comment).where(StatusReport.key == "sr1")) == ""
    # The stored "" is not the file's null: the record cannot change that way.
    doc["status_reports"][0].update(key="sr1")
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(json.dumps(doc), None)
    assert [str(e) for e in info.value.errors] == [
        "status_reports[sr1]: is a record and cannot change"]


@pytest.mark.parametrize("status", ["planned", "cancelled"])
@pytest.mark.parametrize("field", ["present", "apologies", "minutes_approved_by"])
def test_empty_lists_of_a_held_meeting_are_refused_on_others(status, field):
    """`[]` is a value like any other: on a meeting that was not held it is an error there."""
    doc = valid_document()
    doc["meetings"][1].update({"status": status, field: []})
    _, errors = check_document(doc)
    assert [error_text(e, "en") for e in errors] == [
        f"meetings[m2].{field}: not allowed on a {status} meeting"]
    swedish = {"planned": "planerat", "cancelled": "inställt"}[status]
    assert error_text(errors[0], "sv").startswith(f"meetings[m2].{field}: inte tillåtet")
    assert swedish in error_text(errors[0], "sv")


@pytest.mark.parametrize("field", ["present", "apologies", "minutes_approved_on",
                                   "minutes_approved_by"])
def test_null_held_only_fields_are_absent_on_a_planned_meeting(field):
    """`null` is the same as leaving the field out, so a planned meeting may carry it."""
    doc = valid_document()
    doc["meetings"][1][field] = None
    assert check_document(doc)[1] == []


def test_a_planned_meeting_exports_and_imports_again(db):
    """The export of a planned meeting carries nothing the format forbids on it."""
    services.import_text(json.dumps(valid_document()), None)
    exported = services.export_text()
    m2 = next(m for m in json.loads(exported)["meetings"] if m["key"] == "m2")
    assert m2["apologies"] is None and m2["minutes_approved_by"] is None
    assert not services.import_text(exported, None).changed


def _imported_with_advance_apologies(db):
    """The valid document imported, and apologies for planned meeting m2 sent in the portal
    by a person of m1; that person."""
    services.import_text(json.dumps(valid_document()), None)
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m2"))
    person = db.session.scalar(select(Meeting).where(Meeting.key == "m1")).attendance[0].person
    db.session.add(Attendance(meeting=meeting, person=person, status="apologies"))
    db.session.commit()
    return person


def test_importing_a_changed_planned_meeting_keeps_the_portals_apologies(db):
    """Apologies sent in advance are the portal's, not the file's: a changed planned meeting
    keeps them, as an unchanged one does."""
    person = _imported_with_advance_apologies(db)
    doc = valid_document()
    doc["meetings"][1]["place"] = "Skellefteå"
    report = services.import_text(json.dumps(doc), None)
    assert report.updated["meetings"] == 1
    db.session.expire_all()
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m2"))
    assert meeting.place == "Skellefteå"
    assert [(a.person.key, a.status) for a in meeting.attendance] == [(person.key, "apologies")]


def test_a_held_meeting_in_the_file_replaces_the_attendance(db):
    """Once the file says the meeting was held, its lists are the attendance."""
    _imported_with_advance_apologies(db)
    doc = valid_document()
    doc["meetings"][1].update({"status": "held", "present": ["p2"]})
    services.import_text(json.dumps(doc), None)
    db.session.expire_all()
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m2"))
    assert [(a.person.key, a.status) for a in meeting.attendance] == [("p2", "present")]


def test_held_only_lists_on_a_planned_meeting_refuse_the_import(db):
    """The import of such a file writes nothing."""
    doc = valid_document()
    doc["meetings"][1]["apologies"] = []
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(json.dumps(doc), None)
    assert [str(e) for e in info.value.errors] == [
        "meetings[m2].apologies: not allowed on a planned meeting"]
