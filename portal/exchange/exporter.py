"""Read the whole database into a normalized `samverkan/1` document with one query per table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import time
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from portal.analysis.meeting_table import MeetingTable
from portal.exchange.schema import FORMAT
from portal.models import (
    Action,
    Area,
    Commission,
    Decision,
    Forum,
    ForumMembership,
    Indicator,
    IndicatorValue,
    Milestone,
    Organisation,
    Person,
    Recommendation,
)
from portal.models.commission import (
    action_area,
    commission_co_owner,
    commission_member,
    milestone_decision,
    recommendation_area,
)
from portal.models.decision import decision_action, decision_document
from portal.models.document import Document, document_area
from portal.models.followup import Risk, StatusReport
from portal.models.forum import forum_area, forum_scope, membership_principal
from portal.models.indicator import indicator_area
from portal.models.meeting import AgendaItem, Attendance, Meeting, MinutesApprover


def _number(value: float | None) -> int | float | None:
    """Give back integers as integers, so `20` exports as `20`, not `20.0`."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _fetch(session: Session, stmt, plain: bool = False) -> list:
    """Run a select; `plain` skips SQLAlchemy's result processing for columns that need none.

    The national map has tens of thousands of people and memberships; for their text and
    integer columns the driver's own values are already right, and reading them raw halves
    the time (dates and JSON still go through SQLAlchemy's types).
    """
    if not plain:
        return session.execute(stmt).all()
    connection = session.connection()
    sql = str(stmt.compile(dialect=connection.dialect))
    cursor = connection.connection.cursor()  # the driver's own cursor: plain tuples
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _keys(session: Session, model) -> dict[int, str]:
    """Map database ids to exchange keys for one table."""
    table = model.__table__
    return dict(_fetch(session, select(table.c.id, table.c.key), plain=True))


def _rows(session: Session, model, *columns: str, plain: bool = False):
    """All rows of a table as plain tuples in key order (no ORM objects: this must be fast)."""
    table = model.__table__
    stmt = select(*(table.c[name] for name in columns)).order_by(table.c.key)
    return _fetch(session, stmt, plain)


def _links(session: Session, table, owner_col: str, other_col: str, other_keys: dict[int, str],
           skip_unknown: bool = False):
    """Group an association table as owner id -> sorted list of the other side's keys.

    `skip_unknown` leaves out links to rows `other_keys` does not name (draft decisions).
    """
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, other_id in _fetch(
        session, select(table.c[owner_col], table.c[other_col]), plain=True
    ):
        if skip_unknown and other_id not in other_keys:
            continue
        grouped[owner_id].append(other_keys[other_id])
    for keys in grouped.values():
        keys.sort()
    return grouped


def _time(value: time | None) -> str | None:
    """A meeting's start as HH:MM."""
    return None if value is None else value.strftime("%H:%M")


def export_document(session: Session, for_analysis: bool = False) -> dict[str, Any]:
    """Return the whole database as a normalized document (dates as `date` objects).

    Only current seats are members (ended memberships are history) and only final decisions
    are exported (drafts are not records yet). `for_analysis` gives closed forums no members
    and no areas, so that a forum that no longer meets neither covers an area nor overlaps,
    and meetings only the fields the analysis reads.
    """
    present_marks = _start_reading_present_marks(session) if for_analysis else None
    org_keys = _keys(session, Organisation)
    person_keys = _keys(session, Person)
    area_keys = _keys(session, Area)
    forum_keys = _keys(session, Forum)
    document_keys = _keys(session, Document)
    commission_keys = _keys(session, Commission)
    milestone_keys = _keys(session, Milestone)
    recommendation_keys = _keys(session, Recommendation)
    action_keys = _keys(session, Action)
    if for_analysis:  # only the decisions name meetings there: 126,000 keys read for a few
        table = Meeting.__table__
        meeting_keys = dict(_fetch(session, select(table.c.id, table.c.key).where(
            table.c.id.in_(select(Decision.__table__.c.meeting_id))), plain=True))
    else:
        meeting_keys = _keys(session, Meeting)
    final = {
        did: key for did, key, status in _fetch(
            session, select(Decision.__table__.c.id, Decision.__table__.c.key,
                            Decision.__table__.c.status), plain=True)
        if status == "final"
    }

    doc: dict[str, Any] = {"format": FORMAT}
    doc["organisations"] = [
        {"key": key, "name": name, "kind": kind, "parent": org_keys.get(parent),
         "principal": bool(principal)}
        for key, name, kind, parent, principal in _rows(
            session, Organisation, "key", "name", "kind", "parent_id", "is_principal",
            plain=True)
    ]
    doc["people"] = [
        {"key": key, "name": name, "organisation": org_keys[org], "title": title, "email": email}
        for key, name, org, title, email in _rows(
            session, Person, "key", "name", "organisation_id", "title", "email", plain=True)
    ]
    doc["areas"] = [
        {"key": key, "name": name, "description": description}
        for key, name, description in _rows(session, Area, "key", "name", "description")
    ]
    doc["forums"] = _forums(session, forum_keys, area_keys, person_keys, org_keys, for_analysis)
    doc["documents"] = _documents(session, document_keys, forum_keys, area_keys)
    doc["commissions"] = _commissions(session, forum_keys, person_keys, document_keys)
    decided_by = _links(session, milestone_decision, "milestone_id", "decision_id", final,
                        skip_unknown=True)
    doc["milestones"] = [
        {"key": key, "title": title, "commission": commission_keys[commission], "code": code,
         "due": due, "done_on": done_on, "decided_by": decided_by.get(mid, [])}
        for mid, key, title, commission, code, due, done_on in _rows(
            session, Milestone, "id", "key", "title", "commission_id", "code", "due_on",
            "done_on")
    ]
    rec_areas = _links(session, recommendation_area, "recommendation_id", "area_id", area_keys)
    doc["recommendations"] = [
        {"key": key, "text": text, "commission": commission_keys.get(commission),
         "areas": rec_areas.get(rid, [])}
        for rid, key, text, commission in _rows(
            session, Recommendation, "id", "key", "text", "commission_id")
    ]
    action_areas = _links(session, action_area, "action_id", "area_id", area_keys)
    doc["actions"] = [
        {"key": key, "title": title, "commission": commission_keys.get(commission),
         "recommendation": recommendation_keys.get(rec),
         "owner_person": person_keys.get(owner_person), "owner_forum": forum_keys.get(owner_forum),
         "areas": action_areas.get(aid, []), "due": due, "status": status, "progress": progress}
        for aid, key, title, commission, rec, owner_person, owner_forum, due, status, progress
        in _rows(session, Action, "id", "key", "title", "commission_id", "recommendation_id",
                 "owner_person_id", "owner_forum_id", "due_on", "status", "progress")
    ]
    if for_analysis:
        doc["meetings"] = _meetings_for_analysis(session, forum_keys, person_keys,
                                                 present_marks)
    else:
        doc["meetings"] = _meetings(
            session, meeting_keys, forum_keys, person_keys,
            {"commission": commission_keys, "milestone": milestone_keys, "action": action_keys,
             "recommendation": recommendation_keys})
    decision_actions = _links(session, decision_action, "decision_id", "action_id", action_keys)
    decision_documents = _links(session, decision_document, "decision_id", "document_id",
                                document_keys)
    doc["decisions"] = [
        {"key": key, "title": title, "forum": forum_keys[forum], "date": decided_on,
         "text": text, "actions": decision_actions.get(did, []),
         "meeting": meeting_keys.get(meeting), "documents": decision_documents.get(did, [])}
        for did, key, title, forum, decided_on, text, meeting in _rows(
            session, Decision, "id", "key", "title", "forum_id", "decided_on", "text",
            "meeting_id")
        if did in final
    ]
    doc["indicators"] = _indicators(session, area_keys, org_keys)
    doc["status_reports"] = [
        {"key": key, "commission": commission_keys[commission], "date": reported_on,
         "light": light, "comment": comment}
        for key, commission, reported_on, light, comment in _rows(
            session, StatusReport, "key", "commission_id", "reported_on", "light", "comment")
    ]
    doc["risks"] = [
        {"key": key, "title": title, "commission": commission_keys[commission],
         "likelihood": likelihood, "consequence": consequence,
         "owner_person": person_keys.get(owner), "mitigation": mitigation,
         "status": status}
        for key, title, commission, likelihood, consequence, owner, mitigation, status in _rows(
            session, Risk, "key", "title", "commission_id", "likelihood", "consequence",
            "owner_person_id", "mitigation", "status", plain=True)
    ]
    return doc


_PERSON = itemgetter("person")


def _forums(session: Session, forum_keys, area_keys, person_keys, org_keys,
            for_analysis: bool = False) -> list[dict]:
    """Forums with their areas, scope and current members (with whom they represent)."""
    areas = _links(session, forum_area, "forum_id", "area_id", area_keys)
    scope = _links(session, forum_scope, "forum_id", "organisation_id", org_keys)
    principals = _links(session, membership_principal, "membership_id", "organisation_id",
                        org_keys)
    members: dict[int, list[dict]] = defaultdict(list)
    table = ForumMembership.__table__
    for membership_id, forum_id, person_id, role in _fetch(
        session,
        select(table.c.id, table.c.forum_id, table.c.person_id, table.c.role).where(
            table.c.ended_on.is_(None)),
        plain=True,
    ):
        members[forum_id].append({"person": person_keys[person_id], "role": role,
                                  "on_behalf_of": principals.get(membership_id, [])})
    for rows in members.values():
        rows.sort(key=_PERSON)
    forums = []
    for fid, key, name, kind, level, apex, reports_to, mandate, meets, closed_on in _rows(
        session, Forum, "id", "key", "name", "kind", "level", "is_apex", "reports_to_id",
        "mandate", "meets", "closed_on",
    ):
        gone = for_analysis and closed_on is not None
        forums.append(
            {"key": key, "name": name, "kind": kind, "level": level, "apex": bool(apex),
             "reports_to": forum_keys.get(reports_to), "areas": [] if gone else areas.get(fid, []),
             "mandate": mandate, "meets": meets, "members": [] if gone else members.get(fid, []),
             "scope": scope.get(fid, [])})
    return forums


def _documents(session: Session, document_keys, forum_keys, area_keys) -> list[dict]:
    """Documents with their areas."""
    areas = _links(session, document_area, "document_id", "area_id", area_keys)
    return [
        {"key": key, "title": title, "kind": kind, "date": dated_on,
         "owner": forum_keys.get(owner), "parent": document_keys.get(parent),
         "areas": areas.get(did, []), "summary": summary, "url": url}
        for did, key, title, kind, dated_on, owner, parent, summary, url in _rows(
            session, Document, "id", "key", "title", "kind", "dated_on", "owner_forum_id",
            "parent_id", "summary", "url")
    ]


def _commissions(session: Session, forum_keys, person_keys, document_keys) -> list[dict]:
    """Commissions with their co-owners and members."""
    members = _links(session, commission_member, "commission_id", "person_id", person_keys)
    co_owners = _links(session, commission_co_owner, "commission_id", "forum_id", forum_keys)
    return [
        {"key": key, "title": title, "owner": forum_keys.get(owner),
         "co_owners": co_owners.get(cid, []), "directive": document_keys.get(directive),
         "lead": person_keys.get(lead), "members": members.get(cid, []), "start": start,
         "end": end, "goals": list(goals or []), "status": status}
        for cid, key, title, owner, directive, lead, start, end, goals, status in _rows(
            session, Commission, "id", "key", "title", "owner_forum_id", "directive_id",
            "lead_id", "starts_on", "ends_on", "goals", "status")
    ]


def _meetings(session: Session, meeting_keys, forum_keys, person_keys, targets) -> list[dict]:
    """Meetings with their agenda; attendance and minutes for held meetings only.

    The format allows `present`, `apologies` and the minutes' approval only on a held
    meeting, so on any other they are `null`. Apologies the portal keeps for a planned one
    (sent in advance) stay in the portal: an import of the meeting leaves them alone
    (`portal.exchange.importer`).
    """
    agenda: dict[int, list[dict]] = defaultdict(list)
    table = AgendaItem.__table__
    for meeting_id, _position, title, commission, milestone, action, recommendation in _fetch(
        session,
        select(table.c.meeting_id, table.c.position, table.c.title, table.c.commission_id,
               table.c.milestone_id, table.c.action_id, table.c.recommendation_id)
        .order_by(table.c.meeting_id, table.c.position),
        plain=True,
    ):
        agenda[meeting_id].append(
            {"title": title, "commission": targets["commission"].get(commission),
             "milestone": targets["milestone"].get(milestone),
             "action": targets["action"].get(action),
             "recommendation": targets["recommendation"].get(recommendation)})
    present: dict[int, list[str]] = defaultdict(list)
    apologies: dict[int, list[str]] = defaultdict(list)
    table = Attendance.__table__
    for meeting_id, person_id, status in _fetch(
        session, select(table.c.meeting_id, table.c.person_id, table.c.status), plain=True
    ):
        (present if status == "present" else apologies)[meeting_id].append(
            person_keys[person_id])
    approvers = _links(session, MinutesApprover.__table__, "meeting_id", "person_id",
                       person_keys)
    meetings = []
    for mid, key, forum, meets_on, start, duration, status, title, place, recorded, approved in (
        _rows(session, Meeting, "id", "key", "forum_id", "meets_on", "start_time", "duration",
              "status", "title", "place", "is_attendance_recorded", "minutes_approved_on")
    ):
        held = status == "held"
        meetings.append(
            {"key": key, "forum": forum_keys[forum], "date": meets_on, "start": _time(start),
             "duration": duration, "status": status, "title": title, "place": place,
             "agenda": agenda.get(mid, []),
             "present": sorted(present.get(mid, [])) if held and recorded else None,
             "apologies": sorted(apologies.get(mid, [])) if held else None,
             "minutes_approved_on": approved if held else None,
             "minutes_approved_by": approvers.get(mid, []) if held else None})
    return meetings


def _meetings_for_analysis(session: Session, forum_keys: dict[int, str],
                           person_keys: dict[int, str],
                           present_marks: Callable[[], tuple] | None = None) -> MeetingTable:
    """Meetings with only what the analysis reads, as columns (`MeetingTable`): forum, date,
    status, whether attendance was recorded, who was present and when the minutes were
    approved (no agenda, apologies or approvers).

    On the national map that is 126,000 meetings and a million present marks: each column is
    read as one string of numbers (`_MEETING_COLUMNS`, `_PRESENT_MARKS`) that numpy parses, so
    Python touches neither the meetings nor the marks one by one. The marks are read first, on
    a second connection where there is one (`_start_reading_present_marks`), the meetings' columns
    here, after the rest of the map.
    """
    import numpy as np

    if present_marks is None:
        present_marks = _start_reading_present_marks(session)
    count, ids, meeting_forums, days, approved, recorded, statuses, keys = _read_row(
        session.connection(), _MEETING_COLUMNS[_dialect(session)])
    (marks_text,) = present_marks()
    forum_names, forum_at = _positions(np, forum_keys)
    person_names, person_at = _positions(np, person_keys)
    if not count:
        return MeetingTable([], [], [], forum_names, [], [], [], [0], [], person_names)
    ids = np.fromstring(ids, dtype=np.int64, sep=" ")
    keys = keys.split(_KEY_SEPARATOR)
    if len(keys) != count:  # a key holding the separator: read the keys one by one
        keys = [key for (key,) in _fetch(session, select(Meeting.__table__.c.key)
                                         .order_by(Meeting.__table__.c.id), plain=True)]
    meeting_at = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
    meeting_at[ids] = np.arange(count)
    if marks_text:
        packed = np.fromstring(marks_text, dtype=np.int64, sep=" ")
        marked = _look_up(np, meeting_at, packed >> _PERSON_BITS)
        people = _look_up(np, person_at, packed & _PERSON_MASK)
        # Marks of meetings or people written after those were read are left out.
        kept = (marked >= 0) & (people >= 0)
        if not kept.all():
            marked, people = marked[kept], people[kept]
        if len(marked) and (marked[1:] < marked[:-1]).any():  # marks recorded out of turn
            order = np.argsort(marked, kind="stable")
            marked, people = marked[order], people[order]
    else:
        marked = people = np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(np.bincount(marked, minlength=count))))
    forums = _look_up(np, forum_at, meeting_forums)
    if (forums < 0).any():  # the forums changed while the map was read: read them again
        forum_names, forum_at = _positions(np, _keys(session, Forum))
        forums = _look_up(np, forum_at, meeting_forums)
        forum_names.append(None)  # a forum gone meanwhile: its meetings count for no forum
        forums[forums < 0] = len(forum_names) - 1
    return MeetingTable(
        keys, statuses.split(" "), forums,
        forum_names, np.fromstring(days, dtype=np.int64, sep=" "),
        np.fromstring(approved, dtype=np.int64, sep=" "),
        np.fromstring(recorded, dtype=np.int64, sep=" ") != 0, starts, people, person_names)


def _positions(np, keys: dict[int, str]) -> tuple[list[str], Any]:
    """The keys as a list, and an array giving each database id its position in that list."""
    at = np.full(max(keys, default=0) + 1, -1, dtype=np.int64)
    at[np.fromiter(keys, dtype=np.int64, count=len(keys))] = np.arange(len(keys))
    return list(keys.values()), at


def _look_up(np, at, ids):
    """The positions of database ids, given as an array or a string of numbers (-1 for an id
    `at` does not know)."""
    if isinstance(ids, str):
        ids = np.fromstring(ids, dtype=np.int64, sep=" ")
    return np.where(ids < len(at), at[np.minimum(ids, len(at) - 1)], -1)


def _dialect(session: Session) -> str:
    return "sqlite" if session.get_bind().dialect.name == "sqlite" else "postgresql"


_KEY_SEPARATOR = "\x1f"  # the ASCII unit separator: never part of a key the portal writes
# Every column the analysis reads of the meetings, each as one string in the same order; dates
# as day numbers (`date.toordinal()`, 0 for none).
_MEETING_COLUMNS = {
    "sqlite": "SELECT count(*), group_concat(id, ' '), group_concat(forum_id, ' '), "
              "group_concat(CAST(julianday(meets_on) - 1721424.5 AS INTEGER), ' '), "
              "group_concat(coalesce(CAST(julianday(minutes_approved_on) - 1721424.5 "
              "AS INTEGER), 0), ' '), "
              "group_concat(CASE WHEN is_attendance_recorded THEN 1 ELSE 0 END, ' '), "
              "group_concat(status, ' '), group_concat(key, char(31)) FROM meeting",
    "postgresql": "SELECT count(*), string_agg(id::text, ' ' ORDER BY id), "
                  "string_agg(forum_id::text, ' ' ORDER BY id), "
                  "string_agg((meets_on - DATE '0001-01-01' + 1)::text, ' ' ORDER BY id), "
                  "string_agg(coalesce(minutes_approved_on - DATE '0001-01-01' + 1, 0)::text, "
                  "' ' ORDER BY id), "
                  "string_agg(CASE WHEN is_attendance_recorded THEN '1' ELSE '0' END, ' ' "
                  "ORDER BY id), "
                  "string_agg(status, ' ' ORDER BY id), string_agg(key, chr(31) ORDER BY id) "
                  "FROM meeting",
}


# Every present mark as one number, meeting id * 2**32 + person id, in one string in the
# order the marks were recorded (one string of numbers parses faster than two).
_PERSON_BITS = 32
_PERSON_MASK = (1 << _PERSON_BITS) - 1
_PRESENT_MARKS = {
    "sqlite": "SELECT group_concat(meeting_id * 4294967296 + person_id, ' ') "
              "FROM attendance WHERE status = 'present'",
    "postgresql": "SELECT string_agg((meeting_id::bigint * 4294967296 + person_id)::text, ' ' "
                  "ORDER BY id) FROM attendance WHERE status = 'present'",
}


def _start_reading_present_marks(session: Session) -> Callable[[], tuple]:
    """Start reading the present marks; return what gives them (a row of one string) when
    they are needed.

    The database takes a while to join a million marks into a string, and neither SQLite
    nor psycopg holds Python's lock while it works. On a database another connection can
    reach (a file or a server) a second connection reads them in a thread while this one
    reads the rest of the map, so the two cores work at once; an in-memory database is read
    in turn. Both connections read what is committed, as each statement of the session does.
    """
    engine = session.get_bind()
    sql = _PRESENT_MARKS[_dialect(session)]
    if engine.dialect.name == "sqlite" and (
        isinstance(engine.pool, StaticPool) or engine.url.database in (None, "", ":memory:")
        or "mode=memory" in str(engine.url)
    ):
        return lambda: _read_row(session.connection(), sql)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="present-marks")
    future = worker.submit(_read_row_apart, engine, sql)
    worker.shutdown(wait=False)
    return future.result


def _read_row_apart(engine, sql: str) -> tuple:
    with engine.connect() as connection:
        return _read_row(connection, sql)


def _read_row(connection, sql: str) -> tuple:
    """The one row a statement gives, read with the driver's own cursor."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return tuple(cursor.fetchone())
    finally:
        cursor.close()


def _indicators(session: Session, area_keys, org_keys) -> list[dict]:
    """Indicators with their areas and dated values (for the region or one organisation)."""
    areas = _links(session, indicator_area, "indicator_id", "area_id", area_keys)
    values: dict[int, list[dict[str, Any]]] = defaultdict(list)
    table = IndicatorValue.__table__
    for indicator_id, measured_on, value, organisation in session.execute(
        select(table.c.indicator_id, table.c.measured_on, table.c.value, table.c.organisation_id)
        .order_by(table.c.measured_on, table.c.organisation_id)
    ).all():
        values[indicator_id].append({"date": measured_on, "value": _number(value),
                                     "organisation": org_keys.get(organisation)})
    return [
        {"key": key, "name": name, "unit": unit, "areas": areas.get(iid, []),
         "target": _number(target), "values": values.get(iid, []), "definition": definition,
         "source": source, "target_source": target_source,
         "higher_is_better": bool(higher)}
        for iid, key, name, unit, target, definition, source, target_source, higher in _rows(
            session, Indicator, "id", "key", "name", "unit", "target", "definition", "source",
            "target_source", "higher_is_better")
    ]
