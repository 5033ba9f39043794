"""One entity as its `samverkan/1` exchange entry: what the audit trail stores as before/after."""

from __future__ import annotations

from typing import Any

from portal.exchange.importer import jsonable
from portal.models import (
    Action,
    Area,
    Commission,
    Decision,
    Forum,
    Indicator,
    Milestone,
    Organisation,
    Person,
    Recommendation,
    Risk,
    StatusReport,
)


def _key(obj) -> str | None:
    return obj.key if obj is not None else None


def _keys(objs) -> list[str]:
    return sorted(o.key for o in objs)


def snapshot(obj: Any) -> dict[str, Any]:
    """The entity's fields as in the exchange format, JSON-ready (dates as text)."""
    match obj:
        case Organisation():
            entry = {"key": obj.key, "name": obj.name, "kind": obj.kind,
                     "parent": _key(obj.parent), "principal": obj.is_principal}
        case Person():
            entry = {"key": obj.key, "name": obj.name, "organisation": _key(obj.organisation),
                     "title": obj.title, "email": obj.email}
        case Area():
            entry = {"key": obj.key, "name": obj.name, "description": obj.description}
        case Forum():
            entry = {"key": obj.key, "name": obj.name, "kind": obj.kind, "level": obj.level,
                     "apex": obj.is_apex, "reports_to": _key(obj.reports_to),
                     "areas": _keys(obj.areas), "mandate": obj.mandate, "meets": obj.meets,
                     "members": sorted(({"person": m.person.key, "role": m.role}
                                        for m in obj.memberships if m.ended_on is None),
                                       key=lambda m: m["person"])}
        case Commission():
            entry = {"key": obj.key, "title": obj.title, "owner": _key(obj.owner_forum),
                     "lead": _key(obj.lead), "members": _keys(obj.members),
                     "start": obj.starts_on, "end": obj.ends_on, "goals": list(obj.goals or []),
                     "status": obj.status}
        case Milestone():
            entry = {"key": obj.key, "title": obj.title, "commission": _key(obj.commission),
                     "code": obj.code, "due": obj.due_on, "done_on": obj.done_on}
        case Recommendation():
            entry = {"key": obj.key, "text": obj.text, "commission": _key(obj.commission),
                     "areas": _keys(obj.areas)}
        case Action():
            entry = {"key": obj.key, "title": obj.title, "commission": _key(obj.commission),
                     "recommendation": _key(obj.recommendation),
                     "owner_person": _key(obj.owner_person), "owner_forum": _key(obj.owner_forum),
                     "areas": _keys(obj.areas), "due": obj.due_on, "status": obj.status,
                     "progress": obj.progress}
        case Decision():
            entry = {"key": obj.key, "title": obj.title, "forum": _key(obj.forum),
                     "date": obj.decided_on, "text": obj.text, "actions": _keys(obj.actions)}
        case Indicator():
            entry = {"key": obj.key, "name": obj.name, "unit": obj.unit,
                     "areas": _keys(obj.areas), "target": obj.target,
                     "values": [{"date": v.measured_on, "value": v.value} for v in obj.values]}
        case Risk():
            entry = {"title": obj.title, "commission": _key(obj.commission),
                     "likelihood": obj.likelihood, "consequence": obj.consequence,
                     "owner_person": _key(obj.owner_person), "mitigation": obj.mitigation,
                     "status": obj.status}
        case StatusReport():
            entry = {"commission": _key(obj.commission), "reported_on": obj.reported_on,
                     "light": obj.light, "comment": obj.comment,
                     "author": obj.author.email if obj.author else None}
        case _:
            raise TypeError(f"no snapshot for {type(obj).__name__}")
    return jsonable(entry)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Names of the fields that differ between two snapshots, for history views."""
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
