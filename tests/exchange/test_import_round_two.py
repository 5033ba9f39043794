"""Second-round lists and fields through the database: round trip, upsert, records, errors."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.exchange import services
from portal.exchange.validator import ExchangeValidationError, canonical, load_document
from portal.models import Decision, Forum
from portal.models.meeting import Attendance, Meeting, MinutesApprover
from tests.exchange.validator_sample import valid_document


def _normalised(doc: dict | str) -> dict:
    """A document in comparable form: entries by key, set-like lists sorted."""
    doc = load_document(doc if isinstance(doc, str) else json.dumps(doc))
    return {
        name: sorted((canonical(name, e) for e in doc[name]), key=lambda e: e["key"])
        for name in doc if name != "format"
    }


def _import(doc: dict):
    return services.import_text(json.dumps(doc), None)


def _row_counts(db) -> dict[str, int]:
    return {
        t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in db.metadata.sorted_tables
    }


def _errors(doc: dict) -> list[str]:
    with pytest.raises(ExchangeValidationError) as info:
        _import(doc)
    return [str(e) for e in info.value.errors]


def test_every_new_list_and_field_round_trips(db):
    """Import then export gives back the same entries and values, every new field included."""
    doc = valid_document()
    _import(doc)
    exported = json.loads(services.export_text())
    assert _normalised(exported) == _normalised(doc)
    meeting = next(m for m in exported["meetings"] if m["key"] == "m1")
    assert meeting["start"] == "09:30"
    assert meeting["agenda"][1] == {"title": "Delmål", "commission": None,
                                    "milestone": "fm2025-bp3", "action": None,
                                    "recommendation": "r1"}
    lsg = next(f for f in exported["forums"] if f["key"] == "lsg")
    member = next(m for m in lsg["members"] if m["person"] == "p2")
    assert member["on_behalf_of"] == ["hc", "umea"]
    values = exported["indicators"][0]["values"]
    assert {"date": "2025-02-01", "value": 70, "organisation": "umea"} in values


def test_importing_twice_changes_nothing(db):
    """The second import of a round-2 file writes nothing but its own audit note."""
    doc = valid_document()
    first = _import(doc)
    assert first.created["meetings"] == 2 and first.created["status_reports"] == 1
    counts = _row_counts(db)
    second = _import(doc)
    assert not second.changed
    after = _row_counts(db)
    assert after.pop("audit_entry") == counts.pop("audit_entry") + 1
    assert after == counts


def test_export_of_export_is_identical(db):
    """An export imports without change and exports to the same text."""
    _import(valid_document())
    exported = services.export_text()
    assert not services.import_text(exported, None).changed
    assert services.export_text() == exported


def test_present_empty_and_absent_both_survive(db):
    """`present: []` (recorded, nobody came) and no `present` (not recorded) stay apart."""
    doc = valid_document()
    doc["meetings"] += [
        {"key": "empty", "forum": "lsg", "date": "2025-05-01", "status": "held", "present": []},
        {"key": "unrecorded", "forum": "lsg", "date": "2025-06-01", "status": "held"},
    ]
    _import(doc)
    exported = {m["key"]: m for m in json.loads(services.export_text())["meetings"]}
    assert exported["empty"]["present"] == []
    assert exported["unrecorded"]["present"] is None
    recorded = dict(db.session.execute(
        select(Meeting.key, Meeting.is_attendance_recorded)).all())
    assert recorded["empty"] is True and recorded["unrecorded"] is False
    assert not _import(doc).changed


def test_a_meeting_is_replaced_as_a_whole_and_keeps_portal_state(db):
    """A changed meeting takes the file's lists; marks that stay keep whom they stood in for."""
    doc = valid_document()
    _import(doc)
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m1"))
    mark = next(a for a in meeting.attendance if a.person.key == "p1")
    mark.stands_in_for = next(a for a in meeting.attendance if a.person.key == "p2").person
    db.session.commit()
    changed = copy.deepcopy(doc)
    m1 = changed["meetings"][0]
    m1.update(present=["p1"], apologies=[], agenda=[{"title": "Bara en punkt"}],
              minutes_approved_by=["p2"], place=None)
    report = _import(changed)
    assert report.updated["meetings"] == 1
    db.session.expire_all()
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m1"))
    assert [(a.person.key, a.status, a.stands_in_for.key if a.stands_in_for else None)
            for a in meeting.attendance] == [("p1", "present", "p2")]
    assert [i.title for i in meeting.agenda] == ["Bara en punkt"]
    assert [a.person.key for a in meeting.approvers] == ["p2"]
    assert meeting.place is None and meeting.version == 2
    exported = json.loads(services.export_text())
    assert _normalised(exported)["meetings"] == _normalised(changed)["meetings"]


def test_a_held_meeting_set_back_to_planned_loses_its_attendance(db):
    """Attendance belongs to held meetings: replacing the meeting removes it."""
    doc = valid_document()
    doc["decisions"][0].pop("meeting")
    _import(doc)
    doc["meetings"][0] = {"key": "m1", "forum": "lsg", "date": "2025-02-01"}
    _import(doc)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert db.session.scalar(select(func.count()).select_from(MinutesApprover)) == 0
    assert not _import(doc).changed


def test_import_never_deletes_meetings_or_documents(db):
    """Entries not in the file are kept."""
    _import(valid_document())
    _import({"format": "samverkan/1"})
    exported = json.loads(services.export_text())
    assert {m["key"] for m in exported["meetings"]} == {"m1", "m2"}
    assert {d["key"] for d in exported["documents"]} == {"plan", "direktiv"}


def test_a_final_decision_imported_again_unchanged_is_not_touched(db):
    """Re-importing a final decision passes the database's guards (nothing is updated)."""
    doc = valid_document()
    _import(doc)
    assert db.session.scalar(select(Decision.status).where(Decision.key == "d1")) == "final"
    report = _import(doc)
    assert report.unchanged["decisions"] == 1


def test_a_changed_final_decision_is_a_located_error(db):
    """A final decision cannot change through an import; nothing is written."""
    doc = valid_document()
    _import(doc)
    counts = _row_counts(db)
    doc["decisions"][0]["documents"] = []
    doc["areas"][0]["name"] = "Nytt namn"
    assert _errors(doc) == [
        "decisions[d1]: is a final decision and cannot be changed; correct it in the portal "
        "(a new version) or import the change under a new key"]
    assert _row_counts(db) == counts


def test_a_decision_over_a_drafts_key_is_a_located_error(db):
    """Issue 15 item 7: a draft's key answers a located error, not a server error."""
    doc = valid_document()
    _import(doc)
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    db.session.add(Decision(key="draft1", title="Utkast", forum=forum,
                            decided_on=date(2025, 3, 1), status="draft"))
    db.session.commit()
    doc["decisions"].append({"key": "draft1", "title": "Från fil", "forum": "lsg",
                             "date": "2025-03-01"})
    assert _errors(doc) == [
        'decisions[draft1].key: the key "draft1" belongs to a draft decision in the portal: '
        "import the decision under another key, or finish the draft in the portal"]
    assert db.session.scalar(select(Decision.title).where(Decision.key == "draft1")) == "Utkast"


def test_a_changed_status_report_is_a_located_error(db):
    """Status reports are records (issue 15 item 4); unchanged ones import again fine."""
    doc = valid_document()
    _import(doc)
    assert not _import(doc).changed
    doc["status_reports"][0]["comment"] = "Annan kommentar"
    assert _errors(doc) == ["status_reports[sr1]: is a record and cannot change"]


def test_decision_in_a_stored_meeting_of_another_forum(db):
    """The decision's meeting rules also hold against a meeting only in the database."""
    _import(valid_document())
    doc = {"format": "samverkan/1", "decisions": [
        {"key": "d9", "title": "Fel forum", "forum": "lokal", "date": "2025-02-01",
         "meeting": "m1"}]}
    assert _errors(doc) == ['decisions[d9].meeting: meeting "m1" is of forum "lsg", not "lokal"']


def test_removing_an_agenda_item_a_final_decision_was_taken_on_is_refused(db):
    """The decision's link to its agenda item is part of the record; the item stays."""
    doc = valid_document()
    doc["decisions"] = []
    doc["milestones"][0]["decided_by"] = []
    _import(doc)
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m1"))
    db.session.add(Decision(key="d1", title="I protokollet", forum=meeting.forum,
                            decided_on=meeting.meets_on, status="final", meeting=meeting,
                            agenda_item=meeting.agenda[1]))
    db.session.commit()
    doc["meetings"][0]["agenda"] = doc["meetings"][0]["agenda"][:1]
    assert _errors(doc) == [
        'meetings[m1].agenda: agenda item 2 holds the final decision "d1" and cannot be removed']
    doc["meetings"][0]["agenda"] = [{"title": "Nytt namn"}, {"title": "Också nytt"}]
    assert _import(doc).updated["meetings"] == 1
    db.session.expire_all()
    decision = db.session.scalar(select(Decision).where(Decision.key == "d1"))
    assert decision.agenda_item.title == "Också nytt"


def test_milestone_decided_by_round_trips_and_can_change(db):
    """`decided_by` is replaced with the file's list."""
    doc = valid_document()
    _import(doc)
    doc["decisions"].append({"key": "d2", "title": "RS beslut", "forum": "lokal",
                             "date": "2025-03-03"})
    doc["milestones"][0]["decided_by"] = ["d2", "d1"]
    report = _import(doc)
    assert report.updated["milestones"] == 1 and report.created["decisions"] == 1
    exported = json.loads(services.export_text())
    assert exported["milestones"][0]["decided_by"] == ["d1", "d2"]


def test_draft_decisions_are_not_named_in_decided_by_on_export(db):
    """Only final decisions are exported, so a draft linked in the portal is left out."""
    doc = valid_document()
    _import(doc)
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    draft = Decision(key="draft1", title="Utkast", forum=forum, decided_on=date(2025, 3, 1),
                     status="draft")
    db.session.add(draft)
    db.session.flush()
    from portal.models.commission import milestone_decision

    db.session.execute(milestone_decision.insert().values(milestone_id=1, decision_id=draft.id))
    db.session.commit()
    exported = json.loads(services.export_text())
    assert exported["milestones"][0]["decided_by"] == ["d1"]
    assert not services.import_text(services.export_text(), None).changed


def test_planned_meetings_export_no_attendance(db):
    """Apologies the portal keeps for a planned meeting are not exported (the format forbids)."""
    _import(valid_document())
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m2"))
    person = db.session.scalar(select(Meeting).where(Meeting.key == "m1")).attendance[0].person
    db.session.add(Attendance(meeting=meeting, person=person, status="apologies"))
    db.session.commit()
    exported = json.loads(services.export_text())
    m2 = next(m for m in exported["meetings"] if m["key"] == "m2")
    assert (m2["present"], m2["apologies"], m2["minutes_approved_by"]) == (None, None, None)
    load_document(json.dumps(exported))  # still valid
