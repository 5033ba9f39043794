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


def _keys(session: Session, model) -> dict[int, str]:
    """Map database ids to exchange keys for one table."""
    return dict(session.execute(select(model.id, model.key)).all())


def _links(session: Session, table, owner_col: str, other_col: str, other_keys: dict[int, str]):
    """Group an association table as owner id -> sorted list of the other side's keys."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner_id, other_id in session.execute(
        select(table.c[owner_col], table.c[other_col])
    ).all():
        grouped[owner_id].append(other_keys[other_id])
    for keys in grouped.values():
        keys.sort()
    return grouped


def export_document(session: Session) -> dict[str, Any]:
    """Return the whole database as a normalized document (dates as `date` objects)."""
    org_keys = _keys(session, Organisation)
    person_keys = _keys(session, Person)
    area_keys = _keys(session, Area)
    forum_keys = _keys(session, Forum)
    commission_keys = _keys(session, Commission)
    recommendation_keys = _keys(session, Recommendation)
    action_keys = _keys(session, Action)

    doc: dict[str, Any] = {"format": FORMAT}
    doc["organisations"] = [
        {"key": o.key, "name": o.name, "kind": o.kind,
         "parent": org_keys.get(o.parent_id), "principal": o.is_principal}
        for o in session.execute(select(Organisation).order_by(Organisation.key)).scalars()
    ]
    doc["people"] = [
        {"key": p.key, "name": p.name, "organisation": org_keys[p.organisation_id],
         "title": p.title, "email": p.email}
        for p in session.execute(select(Person).order_by(Person.key)).scalars()
    ]
    doc["areas"] = [
        {"key": a.key, "name": a.name, "description": a.description}
        for a in session.execute(select(Area).order_by(Area.key)).scalars()
    ]
    doc["forums"] = _forums(session, forum_keys, area_keys, person_keys)
    doc["commissions"] = _commissions(session, forum_keys, person_keys)
    doc["milestones"] = [
        {"key": m.key, "title": m.title, "commission": commission_keys[m.commission_id],
         "code": m.code, "due": m.due_on, "done_on": m.done_on}
        for m in session.execute(select(Milestone).order_by(Milestone.key)).scalars()
    ]
    rec_areas = _links(session, recommendation_area, "recommendation_id", "area_id", area_keys)
    doc["recommendations"] = [
        {"key": r.key, "text": r.text, "commission": commission_keys.get(r.commission_id),
         "areas": rec_areas.get(r.id, [])}
        for r in session.execute(select(Recommendation).order_by(Recommendation.key)).scalars()
    ]
    action_areas = _links(session, action_area, "action_id", "area_id", area_keys)
    doc["actions"] = [
        {"key": a.key, "title": a.title, "commission": commission_keys.get(a.commission_id),
         "recommendation": recommendation_keys.get(a.recommendation_id),
         "owner_person": person_keys.get(a.owner_person_id),
         "owner_forum": forum_keys.get(a.owner_forum_id), "areas": action_areas.get(a.id, []),
         "due": a.due_on, "status": a.status, "progress": a.progress}
        for a in session.execute(select(Action).order_by(Action.key)).scalars()
    ]
    decision_actions = _links(session, decision_action, "decision_id", "action_id", action_keys)
    doc["decisions"] = [
        {"key": d.key, "title": d.title, "forum": forum_keys[d.forum_id], "date": d.decided_on,
         "text": d.text, "actions": decision_actions.get(d.id, [])}
        for d in session.execute(select(Decision).order_by(Decision.key)).scalars()
    ]
    doc["indicators"] = _indicators(session, area_keys)
    return doc


def _forums(session: Session, forum_keys, area_keys, person_keys) -> list[dict]:
    """Forums with their areas and members."""
    areas = _links(session, forum_area, "forum_id", "area_id", area_keys)
    members: dict[int, list[dict]] = defaultdict(list)
    for forum_id, person_id, role in session.execute(
        select(ForumMembership.forum_id, ForumMembership.person_id, ForumMembership.role)
    ).all():
        members[forum_id].append({"person": person_keys[person_id], "role": role})
    for rows in members.values():
        rows.sort(key=lambda m: m["person"])
    return [
        {"key": f.key, "name": f.name, "kind": f.kind, "level": f.level, "apex": f.is_apex,
         "reports_to": forum_keys.get(f.reports_to_id), "areas": areas.get(f.id, []),
         "mandate": f.mandate, "meets": f.meets, "members": members.get(f.id, [])}
        for f in session.execute(select(Forum).order_by(Forum.key)).scalars()
    ]


def _commissions(session: Session, forum_keys, person_keys) -> list[dict]:
    """Commissions with their members."""
    members = _links(session, commission_member, "commission_id", "person_id", person_keys)
    return [
        {"key": c.key, "title": c.title, "owner": forum_keys.get(c.owner_forum_id),
         "lead": person_keys.get(c.lead_id), "members": members.get(c.id, []),
         "start": c.starts_on, "end": c.ends_on, "goals": list(c.goals or []),
         "status": c.status}
        for c in session.execute(select(Commission).order_by(Commission.key)).scalars()
    ]


def _indicators(session: Session, area_keys) -> list[dict]:
    """Indicators with their areas and dated values."""
    areas = _links(session, indicator_area, "indicator_id", "area_id", area_keys)
    values: dict[int, list[dict[str, date | int | float]]] = defaultdict(list)
    for indicator_id, measured_on, value in session.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.measured_on, IndicatorValue.value)
        .order_by(IndicatorValue.measured_on)
    ).all():
        values[indicator_id].append({"date": measured_on, "value": _number(value)})
    return [
        {"key": i.key, "name": i.name, "unit": i.unit, "areas": areas.get(i.id, []),
         "target": _number(i.target), "values": values.get(i.id, [])}
        for i in session.execute(select(Indicator).order_by(Indicator.key)).scalars()
    ]
