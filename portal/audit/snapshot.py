"""One entity as its `samverkan/1` exchange entry: what the audit trail stores as before/after."""

from __future__ import annotations

from typing import Any

from portal.exchange.importer import jsonable
from portal.models import (
    Action,
    Area,
    Commission,
    Decision,
    Document,
    Forum,
    Indicator,
    Meeting,
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


def _time(value) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _meeting(obj: Meeting) -> dict[str, Any]:
    """A meeting as the format writes it: attendance and minutes only once it is held."""
    held = obj.status == "held"
    present = sorted(a.person.key for a in obj.attendance if a.status == "present")
    apologies = sorted(a.person.key for a in obj.attendance if a.status != "present")
    return {"key": obj.key, "forum": _key(obj.forum), "date": obj.meets_on,
            "start": _time(obj.start_time), "duration": obj.duration, "status": obj.status,
            "title": obj.title, "place": obj.place,
            "agenda": [{"title": item.title, "commission": _key(item.commission),
                        "milestone": _key(item.milestone), "action": _key(item.action),
                        "recommendation": _key(item.recommendation)}
                       for item in sorted(obj.agenda, key=lambda i: i.position)],
            "present": present if held and obj.is_attendance_recorded else None,
            "apologies": apologies if held else None,
            "minutes_approved_on": obj.minutes_approved_on if held else None,
            "minutes_approved_by": (sorted(a.person.key for a in obj.approvers)
                                    if held else None)}


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
                     "members": sorted(({"person": m.person.key, "role": m.role,
                                         "on_behalf_of": _keys(m.on_behalf_of)}
                                        for m in obj.memberships if m.ended_on is None),
                                       key=lambda m: m["person"]),
                     "scope": _keys(obj.scope)}
        case Document():
            entry = {"key": obj.key, "title": obj.title, "kind": obj.kind,
                     "date": obj.dated_on, "owner": _key(obj.owner_forum),
                     "parent": _key(obj.parent), "areas": _keys(obj.areas),
                     "summary": obj.summary, "url": obj.url}
        case Meeting():
            entry = _meeting(obj)
        case Commission():
            entry = {"key": obj.key, "title": obj.title, "owner": _key(obj.owner_forum),
                     "co_owners": _keys(obj.co_owners), "directive": _key(obj.directive),
                     "lead": _key(obj.lead), "members": _keys(obj.members),
                     "start": obj.starts_on, "end": obj.ends_on, "goals": list(obj.goals or []),
                     "status": obj.status}
        case Milestone():
            entry = {"key": obj.key, "title": obj.title, "commission": _key(obj.commission),
                     "code": obj.code, "due": obj.due_on, "done_on": obj.done_on,
                     "decided_by": _keys(d for d in obj.decided_by if d.status == "final")}
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
                     "date": obj.decided_on, "text": obj.text, "actions": _keys(obj.actions),
                     "meeting": _key(obj.meeting), "documents": _keys(obj.documents)}
        case Indicator():
            entry = {"key": obj.key, "name": obj.name, "unit": obj.unit,
                     "areas": _keys(obj.areas), "target": obj.target,
                     "values": [{"date": v.measured_on, "value": v.value,
                                 "organisation": _key(v.organisation)}
                                for v in sorted(obj.values, key=lambda v: (
                                    v.measured_on, v.organisation_id or 0))],
                     "definition": obj.definition, "source": obj.source,
                     "target_source": obj.target_source,
                     "higher_is_better": bool(obj.higher_is_better)}
        case Risk():
            entry = {"key": obj.key, "title": obj.title, "commission": _key(obj.commission),
                     "likelihood": obj.likelihood, "consequence": obj.consequence,
                     "owner_person": _key(obj.owner_person), "mitigation": obj.mitigation,
                     "status": obj.status}
        case StatusReport():
            entry = {"key": obj.key, "commission": _key(obj.commission),
                     "date": obj.reported_on, "light": obj.light, "comment": obj.comment}
        case _:
            raise TypeError(f"no snapshot for {type(obj).__name__}")
    return jsonable(entry)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Names of the fields that differ between two snapshots, for history views."""
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
