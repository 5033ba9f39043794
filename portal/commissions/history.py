"""The change history of a commission and its parts, read from the audit trail, in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.audit.snapshot import changed_fields
from portal.extensions import db
from portal.i18n import short_date
from portal.labels import label
from portal.models import (
    Action,
    Area,
    AuditEntry,
    Commission,
    Decision,
    Forum,
    Milestone,
    Person,
    Recommendation,
    Risk,
    StatusReport,
    User,
)
from portal.paging import page_of

PER_PAGE = 50
FIELD_LABELS = {
    "title": _l("Title"), "text": _l("Text"), "code": _l("Code"), "key": _l("Key"),
    "status": _l("Status"), "progress": _l("Progress"), "due": _l("Due"),
    "done_on": _l("Reached on"), "owner_person": _l("Owner (person)"),
    "owner_forum": _l("Owner (forum)"), "areas": _l("Focus areas"),
    "recommendation": _l("Recommendation"), "commission": _l("Commission"),
    "likelihood": _l("Likelihood"), "consequence": _l("Consequence"),
    "mitigation": _l("Mitigation"), "light": _l("Status"), "comment": _l("Comment"),
    "reported_on": _l("Report date"), "author": _l("Reported by"), "lead": _l("Commission lead"),
    "owner": _l("Owner"), "members": _l("Commission members"), "start": _l("Start"),
    "end": _l("End"), "goals": _l("Goals"), "decided_by": _l("Decided by"),
}
ENTITY_LABELS = {
    "commission": _l("Commission"), "milestone": _l("Milestone"), "action": _l("Action"),
    "recommendation": _l("Recommendation"), "risk": _l("Risk"),
    "status_report": _l("Status report"),
}
HIDDEN_FIELDS = ("key", "author")  # the author of a report is the entry's actor
VERBS = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Removed")}
STATUS_GROUPS = {"action": "action_status", "risk": "risk_status",
                 "commission": "commission_status"}
DATE_FIELDS = ("due", "done_on", "reported_on", "start", "end")
# Which table a referenced key belongs to, and how that thing is named.
REFERENCES = {
    "owner_person": (Person, "name"), "lead": (Person, "name"), "members": (Person, "name"),
    "owner_forum": (Forum, "name"), "owner": (Forum, "name"), "areas": (Area, "name"),
    "recommendation": (Recommendation, "text"), "commission": (Commission, "title"),
    "decided_by": (Decision, "title"),
}


@dataclass
class Change:
    """One field of one entry: its label and the values before and after, in words."""

    label: str
    before: str
    after: str


@dataclass
class HistoryItem:
    """One write in the history: when, who, what, and which fields changed how."""

    at: datetime
    actor: str
    verb: str
    entity_type: str
    entity_key: str
    entity_label: str
    name: str
    source: str | None
    changes: list[Change] = field(default_factory=list)


def commission_refs(commission: Commission) -> list[tuple[str, list[str]]]:
    """The audit keys of a commission and of everything that belongs to it."""
    def keys(model, column):
        return [str(k) for k in db.session.scalars(
            select(column).where(model.commission_id == commission.id))]

    return [
        ("commission", [commission.key]),
        ("milestone", keys(Milestone, Milestone.key)),
        ("action", keys(Action, Action.key)),
        ("recommendation", keys(Recommendation, Recommendation.key)),
        # Entries written before risks and status reports had keys name them by id.
        ("risk", keys(Risk, Risk.key) + keys(Risk, Risk.id)),
        ("status_report",
         keys(StatusReport, StatusReport.key) + keys(StatusReport, StatusReport.id)),
    ]


def history(refs: list[tuple[str, list[str]]], page: int = 1,
            per_page: int = PER_PAGE) -> tuple[list[HistoryItem], int, int]:
    """The writes to these entities, newest first: one page of them, how many in all, and
    the page shown (the last one for a page past the end)."""
    wanted = or_(*(and_(AuditEntry.entity_type == kind, AuditEntry.entity_key.in_(keys))
                   for kind, keys in refs if keys))
    where = and_(AuditEntry.action.in_(tuple(VERBS)), wanted)
    entries, total, page = page_of(
        select(AuditEntry).where(where).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page, per_page, scalars=True)
    return describe(entries), total, page


def describe(entries: list[AuditEntry]) -> list[HistoryItem]:
    """Turn audit entries into history items with names and labels instead of keys."""
    names = _names([snap for e in entries for snap in (e.before, e.after)])
    actors = _actors(entries)
    items = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        fields = _ordered(changed_fields(entry.before, entry.after))
        kind = entry.entity_type or ""
        items.append(HistoryItem(
            at=entry.at,
            actor=actors.get(entry.user_id) or entry.actor,
            verb=str(VERBS.get(entry.action, entry.action)),
            entity_type=kind,
            entity_key=entry.entity_key or "",
            entity_label=str(ENTITY_LABELS.get(kind, kind)),
            name=_entity_name(kind, after or before),
            source=(entry.data or {}).get("source"),
            changes=[Change(str(FIELD_LABELS.get(f, f)),
                            _value(kind, f, before.get(f), names) if entry.before else "",
                            _value(kind, f, after.get(f), names))
                     for f in fields],
        ))
    return items


def differences(kind: str, stored: dict[str, Any], yours: dict[str, Any]) -> list[Change]:
    """The fields where the stored object differs from what the user entered, in words."""
    names = _names([stored, yours])
    return [Change(str(FIELD_LABELS.get(f, f)), _value(kind, f, stored.get(f), names),
                   _value(kind, f, yours.get(f), names))
            for f in _ordered(changed_fields(stored, yours)) if f in yours]


def _ordered(fields: list[str]) -> list[str]:
    """The fields worth showing, in the order the forms ask for them (the key never changes)."""
    order = list(FIELD_LABELS)
    shown = [f for f in fields if f not in HIDDEN_FIELDS]
    return sorted(shown, key=lambda f: order.index(f) if f in order else len(order))


def _names(snapshots: list[dict | None]) -> dict[tuple[str, str], str]:
    """Names of every person, forum, area, recommendation and commission the snapshots name."""
    wanted: dict[Any, set[str]] = {}
    for snap in snapshots:
        for name, (model, _attr) in REFERENCES.items():
            value = (snap or {}).get(name)
            values = value if isinstance(value, list) else [value]
            wanted.setdefault(model, set()).update(v for v in values if isinstance(v, str))
    found = {}
    for model, keys in wanted.items():
        attr = next(a for m, a in REFERENCES.values() if m is model)
        for key, text in db.session.execute(
            select(model.key, getattr(model, attr)).where(model.key.in_(keys))
        ):
            found[(model.__name__, key)] = text
    return found


def _actors(entries: list[AuditEntry]) -> dict[int, str]:
    """The names of the people behind the accounts that wrote the entries."""
    ids = {e.user_id for e in entries if e.user_id is not None}
    users = db.session.scalars(
        select(User).where(User.id.in_(ids)).options(selectinload(User.person))
    ) if ids else []
    return {u.id: u.person.name if u.person else u.email for u in users}


def _entity_name(kind: str, snap: dict[str, Any]) -> str:
    """How the history names the thing an entry is about."""
    if kind == "milestone":
        return " ".join(p for p in (snap.get("code"), snap.get("title")) if p)
    if kind == "status_report":
        return _value(kind, "reported_on", snap.get("reported_on"), {})
    text = snap.get("title") or snap.get("text") or ""
    return text if len(text) <= 90 else text[:89] + "…"


def _value(kind: str, name: str, value: Any, names: dict[tuple[str, str], str]) -> str:
    """A stored value in words: labels for statuses, names for keys, dates as dates."""
    if value is None or value == "" or value == []:
        return "–"
    if name == "status":
        return label(STATUS_GROUPS.get(kind, "action_status"), value)
    if name == "light":
        return label("status_light", value)
    if name == "progress":
        return f"{value} %"
    if name in DATE_FIELDS and isinstance(value, str):
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            return value
    if name in REFERENCES:
        model = REFERENCES[name][0].__name__
        values = value if isinstance(value, list) else [value]
        text = ", ".join(names.get((model, v), v) for v in values)
        return text if len(text) <= 120 else text[:119] + "…"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
