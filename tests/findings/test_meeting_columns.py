"""The meetings the analysis reads from the database (as columns) are the meetings of the map:
a generated map with two years of meetings gives the same findings from the database as from
its exported file. Run on SQLite and PostgreSQL alike (TEST_DATABASE_URL)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from bench.generate import generate
from portal.analysis.core import analyze
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text
from portal.exchange.validator import validate_document

AS_OF = date(2025, 11, 1)
MEETING_KINDS = {"absent_principal", "inactive_member", "dormant_forum", "unapproved_minutes"}


def _small_map() -> tuple[dict, tuple[str, str, str]]:
    """A generated map with meetings and a guest who is no member, and a forum with two
    meetings on one day (the greater key is the later one) just at the edge of the latest
    three: a member present only at the earlier of the two is inactive. Returns the map and
    that (person, forum, date)."""
    doc = generate(0.02)
    held = sorted((m for m in doc["meetings"] if m.get("status") == "held" and "present" in m
                   and m["date"] <= AS_OF.isoformat()),
                  key=lambda m: (m["date"], m["key"]), reverse=True)
    forum = next(f for f in doc["forums"]
                 if f["members"] and sum(m["forum"] == f["key"] for m in held) >= 4)
    latest = [m for m in held if m["forum"] == forum["key"]]
    person = forum["members"][0]["person"]
    for meeting in latest[:2]:
        meeting["present"] = [p for p in meeting["present"] if p != person]
    earlier = latest[2]
    earlier["present"] = sorted({*earlier["present"], person})
    doc["meetings"].append({**earlier, "key": earlier["key"] + "z", "present": []})
    forum["members"][0]["role"] = "member"
    guest = next(p["key"] for p in doc["people"]
                 if p["key"] not in {m["person"] for m in forum["members"]})
    held[0]["present"] = sorted({*held[0]["present"], guest})
    return doc, (person, forum["key"], earlier["date"])


def test_findings_from_the_database_equal_those_of_the_exported_file(db):
    """Every finding, the four meeting kinds included, comes out the same from the stored map
    as from the same map read from its file."""
    doc, (person, forum, day) = _small_map()
    import_text(json.dumps(doc), None)
    stored = export_document(db.session, for_analysis=True)
    as_file = validate_document(json.loads(json.dumps(export_document(db.session), default=str)))
    from_database = analyze(stored, AS_OF)
    assert from_database == analyze(as_file, AS_OF)
    kinds = {f["kind"] for f in from_database["findings"]}
    assert kinds >= MEETING_KINDS
    assert {"kind": "inactive_member", "person": person, "forum": forum, "last_present": day,
            "last_meetings": 3} in [{k: v for k, v in f.items() if k != "message"}
                                    for f in from_database["findings"]]


def test_the_stored_meetings_read_as_the_meetings_of_the_map(db):
    """Each meeting the analysis reads has the forum, date, status, attendance and approval
    of the meeting in the exported map."""
    import_text(json.dumps(_small_map()[0]), None)
    stored = export_document(db.session, for_analysis=True)["meetings"]
    exported = export_document(db.session)["meetings"]
    assert len(stored) == len(exported)

    def plain(meeting):
        present = meeting["present"]
        return (meeting["key"], meeting["forum"], meeting["date"], meeting["status"],
                None if present is None else sorted(present), meeting["minutes_approved_on"])

    assert sorted(map(plain, stored)) == sorted(map(plain, exported))


def test_a_forum_written_while_the_map_is_read_keeps_its_meetings(db):
    """Meetings of a forum the first reading of the forums missed (written meanwhile) still
    name their forum."""
    from portal.exchange.exporter import _keys, _meetings_for_analysis
    from portal.models import Forum, Person

    import_text(json.dumps(_small_map()[0]), None)
    forums = _keys(db.session, Forum)
    missed = next(iter(forums))
    name = forums.pop(missed)
    table = _meetings_for_analysis(db.session, forums, _keys(db.session, Person))
    exported = [m["key"] for m in export_document(db.session)["meetings"] if m["forum"] == name]
    assert exported
    assert sorted(m["key"] for m in table if m["forum"] == name) == sorted(exported)


def test_findings_name_the_stored_meetings_by_forum_and_date(db):
    """A finding's meeting is named by its forum and date, from the columns as from dicts."""
    from portal.findings.scope import build_lookup

    import_text(json.dumps(_small_map()[0]), None)
    stored = export_document(db.session, for_analysis=True)
    names = build_lookup(stored).names
    as_dicts = build_lookup({**stored, "meetings": list(stored["meetings"])}).names
    assert names == as_dicts
    meeting = stored["meetings"][0]
    forum = next(f["name"] for f in stored["forums"] if f["key"] == meeting["forum"])
    assert names["meeting", meeting["key"]] == f"{forum} {meeting['date'].isoformat()}"


def test_a_mark_recorded_after_later_meetings_belongs_to_its_meeting(db):
    """Marks are read in the order they were recorded; one added to an early meeting after
    the marks of later meetings (a late correction) is still counted at its own meeting, and
    the meetings around it keep theirs."""
    from portal.models import Attendance, Meeting, Person

    doc = _small_map()[0]
    import_text(json.dumps(doc), None)
    early = db.session.scalars(
        select(Meeting).where(Meeting.status == "held", Meeting.is_attendance_recorded)
        .order_by(Meeting.id)).first()
    came = {a.person_id for a in early.attendance}
    late = db.session.scalars(select(Person).where(Person.id.not_in(came))
                              .order_by(Person.id)).first()
    db.session.add(Attendance(meeting=early, person=late, status="present"))
    db.session.commit()
    stored = export_document(db.session, for_analysis=True)["meetings"]
    exported = {m["key"]: m for m in export_document(db.session)["meetings"]}
    assert late.key in stored.present(stored.keys.index(early.key))
    for meeting in stored:
        present = exported[meeting["key"]]["present"]
        assert (None if meeting["present"] is None else sorted(meeting["present"])) == (
            None if present is None else sorted(present)), meeting["key"]
