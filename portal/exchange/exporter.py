"""Read the whole database into a normalized `samverkan/1` document with one query per table."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from portal.models.commission import action_area, commission_member, recommendation_area
from portal.models.decision import decision_action
from portal.models.forum import forum_area
from portal.models.indicator import indicator_area

FORMAT = "samverkan/1"


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


def _links(session: Session, table, owner_col: str, other_col: str, other_keys: dict[int, str]):
    """Group an association table as owner id -> sorted list of the other side's keys."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, other_id in _fetch(
        session, select(table.c[owner_col], table.c[other_col]), plain=True
    ):
        grouped[owner_id].append(other_keys[other_id])
    for keys in grouped.values():
        keys.sort()
    return grouped


def export_document(session: Session, for_analysis: bool = False) -> dict[str, Any]:
    """Return the whole database as a normalized document (dates as `date` objects).

    Only current seats are members (ended memberships are history) and only final decisions
    are exported (drafts are not records yet). `for_analysis` gives closed forums no members
    and no areas, so that a forum that no longer meets neither covers an area nor overlaps.
    """
    org_keys = _keys(session, Organisation)
    person_keys = _keys(session, Person)
    area_keys = _keys(session, Area)
    forum_keys = _keys(session, Forum)
    commission_keys = _keys(session, Commission)
    recommendation_keys = _keys(session, Recommendation)
    action_keys = _keys(session, Action)

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
    doc["forums"] = _forums(session, forum_keys, area_keys, person_keys, for_analysis)
    doc["commissions"] = _commissions(session, forum_keys, person_keys)
    doc["milestones"] = [
        {"key": key, "title": title, "commission": commission_keys[commission], "code": code,
         "due": due, "done_on": done_on}
        for key, title, commission, code, due, done_on in _rows(
            session, Milestone, "key", "title", "commission_id", "code", "due_on", "done_on")
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
    decision_actions = _links(session, decision_action, "decision_id", "action_id", action_keys)
    doc["decisions"] = [
        {"key": key, "title": title, "forum": forum_keys[forum], "date": decided_on,
         "text": text, "actions": decision_actions.get(did, [])}
        for did, key, title, forum, decided_on, text, status in _rows(
            session, Decision, "id", "key", "title", "forum_id", "decided_on", "text", "status")
        if status == "final"
    ]
    doc["indicators"] = _indicators(session, area_keys)
    return doc


def _forums(session: Session, forum_keys, area_keys, person_keys,
            for_analysis: bool = False) -> list[dict]:
    """Forums with their areas and current members."""
    areas = _links(session, forum_area, "forum_id", "area_id", area_keys)
    members: dict[int, list[dict]] = defaultdict(list)
    table = ForumMembership.__table__
    for forum_id, person_id, role in _fetch(
        session,
        select(table.c.forum_id, table.c.person_id, table.c.role).where(
            table.c.ended_on.is_(None)),
        plain=True,
    ):
        members[forum_id].append({"person": person_keys[person_id], "role": role})
    for rows in members.values():
        rows.sort(key=lambda m: m["person"])
    forums = []
    for fid, key, name, kind, level, apex, reports_to, mandate, meets, closed_on in _rows(
        session, Forum, "id", "key", "name", "kind", "level", "is_apex", "reports_to_id",
        "mandate", "meets", "closed_on",
    ):
        gone = for_analysis and closed_on is not None
        forums.append(
            {"key": key, "name": name, "kind": kind, "level": level, "apex": bool(apex),
             "reports_to": forum_keys.get(reports_to), "areas": [] if gone else areas.get(fid, []),
             "mandate": mandate, "meets": meets, "members": [] if gone else members.get(fid, [])})
    return forums


def _commissions(session: Session, forum_keys, person_keys) -> list[dict]:
    """Commissions with their members."""
    members = _links(session, commission_member, "commission_id", "person_id", person_keys)
    return [
        {"key": key, "title": title, "owner": forum_keys.get(owner), "lead": person_keys.get(lead),
         "members": members.get(cid, []), "start": start, "end": end,
         "goals": list(goals or []), "status": status}
        for cid, key, title, owner, lead, start, end, goals, status in _rows(
            session, Commission, "id", "key", "title", "owner_forum_id", "lead_id", "starts_on",
            "ends_on", "goals", "status")
    ]


def _indicators(session: Session, area_keys) -> list[dict]:
    """Indicators with their areas and dated values."""
    areas = _links(session, indicator_area, "indicator_id", "area_id", area_keys)
    values: dict[int, list[dict[str, date | int | float]]] = defaultdict(list)
    table = IndicatorValue.__table__
    for indicator_id, measured_on, value in session.execute(
        select(table.c.indicator_id, table.c.measured_on, table.c.value)
        .order_by(table.c.measured_on)
    ).all():
        values[indicator_id].append({"date": measured_on, "value": _number(value)})
    return [
        {"key": key, "name": name, "unit": unit, "areas": areas.get(iid, []),
         "target": _number(target), "values": values.get(iid, [])}
        for iid, key, name, unit, target in _rows(
            session, Indicator, "id", "key", "name", "unit", "target")
    ]
