"""Write a validated `samverkan/1` document into the database: upsert by key, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from portal.exchange.exporter import export_document
from portal.exchange.validator import ExchangeError, ExchangeValidationError
from portal.models import (
    Action,
    Area,
    AuditEntry,
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
from portal.models.base import utcnow
from portal.models.commission import action_area, commission_member, recommendation_area
from portal.models.decision import decision_action
from portal.models.forum import forum_area
from portal.models.indicator import indicator_area

if TYPE_CHECKING:
    from portal.models import User

LIST_ORDER = (
    "organisations", "people", "areas", "forums", "commissions",
    "milestones", "recommendations", "actions", "decisions", "indicators",
)
ENTITY_TYPES = {
    "organisations": "organisation", "people": "person", "areas": "area", "forums": "forum",
    "commissions": "commission", "milestones": "milestone",
    "recommendations": "recommendation", "actions": "action", "decisions": "decision",
    "indicators": "indicator",
}
MODELS = {
    "organisations": Organisation, "people": Person, "areas": Area, "forums": Forum,
    "commissions": Commission, "milestones": Milestone, "recommendations": Recommendation,
    "actions": Action, "decisions": Decision, "indicators": Indicator,
}
# List fields whose order carries no meaning; they are compared sorted.
_SET_FIELDS = {
    "forums": ("areas",), "commissions": ("members",), "recommendations": ("areas",),
    "actions": ("areas",), "decisions": ("actions",), "indicators": ("areas",),
}


@dataclass
class ImportReport:
    """What an import created, changed and left as it was, per list."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when the import wrote anything."""
        return any(self.created.values()) or any(self.updated.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        """The report as plain data, for the audit trail and the CLI."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def canonical(list_name: str, entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with its unordered list fields sorted, for comparing two versions."""
    out = dict(entry)
    for name in _SET_FIELDS.get(list_name, ()):
        out[name] = sorted(out.get(name) or [])
    if list_name == "forums":
        out["members"] = sorted(out.get("members") or [], key=lambda m: m["person"])
    if list_name == "indicators":
        out["values"] = sorted(out.get("values") or [], key=lambda v: v["date"])
    return out


def jsonable(value: Any) -> Any:
    """Dates as ISO text, so entries can be stored in the audit trail's JSON columns."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


class _Writer:
    """Applies one document inside the caller's transaction."""

    def __init__(self, session: Session, actor: User | None, source: str) -> None:
        self.session = session
        self.actor = actor
        self.source = source
        self.ids: dict[str, dict[str, int]] = {}
        self.audit_rows: list[dict[str, Any]] = []
        self.report = ImportReport()
        self.now = utcnow()

    def key_ids(self, list_name: str) -> dict[str, int]:
        """Return (and cache) key -> id for one table, read after its inserts."""
        if list_name not in self.ids:
            model = MODELS[list_name]
            self.ids[list_name] = dict(self.session.execute(select(model.key, model.id)).all())
        return self.ids[list_name]

    def ref(self, list_name: str, key: str | None) -> int | None:
        """Resolve a reference key to its id (None stays None)."""
        return None if key is None else self.key_ids(list_name)[key]

    def changes(self, list_name: str, entries: list[dict], stored: dict[str, dict]):
        """Split a list into new and changed entries, counting the unchanged."""
        new, changed = [], []
        for entry in entries:
            before = stored.get(entry["key"])
            if before is None:
                new.append(entry)
            elif canonical(list_name, before) != canonical(list_name, entry):
                changed.append(entry)
        self.report.created[list_name] = len(new)
        self.report.updated[list_name] = len(changed)
        self.report.unchanged[list_name] = len(entries) - len(new) - len(changed)
        for entry in new + changed:
            before = stored.get(entry["key"])
            self.audit_rows.append({
                "at": self.now,
                "user_id": self.actor.id if self.actor else None,
                "actor": self.actor.email if self.actor else "system",
                "action": "update" if before else "create",
                "entity_type": ENTITY_TYPES[list_name],
                "entity_key": entry["key"],
                "before": jsonable(before) if before else None,
                "after": jsonable(entry),
                "data": {"source": self.source},
            })
        return new, changed

    def upsert(self, list_name: str, new: list[dict], changed: list[dict],
               row: Callable[[dict], dict], versioned: bool = False) -> None:
        """Insert new rows and update changed ones (by key) for one table."""
        model = MODELS[list_name]
        if new:
            self.session.execute(insert(model), [{"key": e["key"], **row(e)} for e in new])
            self.ids.pop(list_name, None)
        if changed:
            # Without values(), each row's own columns become the SET clause.
            rows = [{"_key": e["key"], **row(e)} for e in changed]
            stmt = update(model.__table__).where(model.__table__.c.key == bindparam("_key"))
            if versioned:
                stmt = stmt.values(version=model.__table__.c.version + 1)
            self.session.connection().execute(stmt, rows)

    def replace_links(self, table, owner_col: str, other_col: str, list_name: str,
                      entries: Iterable[dict], field_name: str, other_list: str) -> None:
        """Replace an association list (areas, members, actions) of each written entry."""
        owner_ids = self.key_ids(list_name)
        entries = list(entries)
        if not entries:
            return
        ids = [owner_ids[e["key"]] for e in entries]
        for chunk in _chunks(ids, 500):
            self.session.execute(delete(table).where(table.c[owner_col].in_(chunk)))
        rows = [
            {owner_col: owner_ids[e["key"]], other_col: self.ref(other_list, other)}
            for e in entries for other in e[field_name]
        ]
        if rows:
            self.session.execute(insert(table), rows)

    def flush_audit(self) -> None:
        """Write the per-entity audit rows in one statement."""
        if self.audit_rows:
            self.session.execute(insert(AuditEntry), self.audit_rows)


def _chunks(items: list, size: int):
    """Yield slices of a list, to keep IN clauses short."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_document(session: Session, doc: dict[str, Any], actor: User | None,
                    source: str = "import") -> ImportReport:
    """Upsert a normalized document by key inside the current transaction (caller commits)."""
    stored_doc = export_document(session)
    stored = {name: {e["key"]: e for e in stored_doc[name]} for name in LIST_ORDER}
    w = _Writer(session, actor, source)
    plan = {name: w.changes(name, doc.get(name, []), stored[name]) for name in LIST_ORDER}
    _refuse_changes_to_records(session, plan["decisions"][1])

    new, changed = plan["organisations"]
    w.upsert("organisations", new, changed, lambda e: {
        "name": e["name"], "kind": e["kind"], "is_principal": e["principal"], "parent_id": None})
    _set_self_refs(w, Organisation, "organisations", new + changed, "parent", "parent_id")

    new, changed = plan["people"]
    w.upsert("people", new, changed, lambda e: {
        "name": e["name"], "organisation_id": w.ref("organisations", e["organisation"]),
        "title": e["title"], "email": e["email"]})

    new, changed = plan["areas"]
    w.upsert("areas", new, changed, lambda e: {"name": e["name"], "description": e["description"]})

    new, changed = plan["forums"]
    w.upsert("forums", new, changed, lambda e: {
        "name": e["name"], "kind": e["kind"], "level": e["level"], "is_apex": e["apex"],
        "mandate": e["mandate"], "meets": e["meets"], "reports_to_id": None})
    _set_self_refs(w, Forum, "forums", new + changed, "reports_to", "reports_to_id")
    w.replace_links(forum_area, "forum_id", "area_id", "forums", new + changed, "areas", "areas")
    _replace_members(w, new + changed)

    new, changed = plan["commissions"]
    w.upsert("commissions", new, changed, lambda e: {
        "title": e["title"], "owner_forum_id": w.ref("forums", e["owner"]),
        "lead_id": w.ref("people", e["lead"]), "starts_on": e["start"], "ends_on": e["end"],
        "goals": list(e["goals"]), "status": e["status"]})
    w.replace_links(commission_member, "commission_id", "person_id", "commissions",
                    new + changed, "members", "people")

    new, changed = plan["milestones"]
    w.upsert("milestones", new, changed, lambda e: {
        "title": e["title"], "commission_id": w.ref("commissions", e["commission"]),
        "code": e["code"], "due_on": e["due"], "done_on": e["done_on"]}, versioned=True)

    new, changed = plan["recommendations"]
    w.upsert("recommendations", new, changed, lambda e: {
        "text": e["text"], "commission_id": w.ref("commissions", e["commission"])},
        versioned=True)
    w.replace_links(recommendation_area, "recommendation_id", "area_id", "recommendations",
                    new + changed, "areas", "areas")

    new, changed = plan["actions"]
    w.upsert("actions", new, changed, lambda e: {
        "title": e["title"], "commission_id": w.ref("commissions", e["commission"]),
        "recommendation_id": w.ref("recommendations", e["recommendation"]),
        "owner_person_id": w.ref("people", e["owner_person"]),
        "owner_forum_id": w.ref("forums", e["owner_forum"]), "due_on": e["due"],
        "status": e["status"], "progress": e["progress"]}, versioned=True)
    w.replace_links(action_area, "action_id", "area_id", "actions", new + changed, "areas", "areas")

    new, changed = plan["decisions"]
    w.upsert("decisions", new, changed, lambda e: {
        "title": e["title"], "forum_id": w.ref("forums", e["forum"]), "decided_on": e["date"],
        "text": e["text"]})
    w.replace_links(decision_action, "decision_id", "action_id", "decisions", new + changed,
                    "actions", "actions")

    new, changed = plan["indicators"]
    w.upsert("indicators", new, changed, lambda e: {
        "name": e["name"], "unit": e["unit"], "target": e["target"]})
    w.replace_links(indicator_area, "indicator_id", "area_id", "indicators", new + changed,
                    "areas", "areas")
    _replace_values(w, new + changed)

    w.flush_audit()
    return w.report


def _refuse_changes_to_records(session: Session, changed: list[dict]) -> None:
    """A final decision is a record: an import may not change it (nor a draft's key).

    :raise ExchangeValidationError: naming each decision the file would change.
    """
    if not changed:
        return
    table = Decision.__table__
    keys = [e["key"] for e in changed]
    final = set()
    for chunk in _chunks(keys, 500):
        final.update(session.scalars(
            select(table.c.key).where(table.c.key.in_(chunk), table.c.status != "draft")))
    errors = [
        ExchangeError("decisions", key, None,
                      "is a final decision and cannot be changed; correct it in the portal "
                      "(a new version) or import the change under a new key")
        for key in keys if key in final
    ]
    if errors:
        raise ExchangeValidationError(errors)


def _set_self_refs(w: _Writer, model, list_name: str, entries: list[dict], field_name: str,
                   column: str) -> None:
    """Set parent / reports_to after all rows of the table exist (they may point forward)."""
    rows = [{"_key": e["key"], column: w.ref(list_name, e[field_name])} for e in entries]
    if rows:
        table = model.__table__
        stmt = update(table).where(table.c.key == bindparam("_key"))
        w.session.connection().execute(stmt, rows)


def _replace_members(w: _Writer, entries: list[dict]) -> None:
    """Make the file's member lists the current seats of the written forums.

    Seats that are not in the file are ended, not deleted, so the forum keeps its history;
    a former member who is in the file again takes up their seat again.
    """
    forum_ids = w.key_ids("forums")
    table = ForumMembership.__table__
    stored: dict[tuple[int, int], tuple[int, str, date | None]] = {}
    ids = [forum_ids[e["key"]] for e in entries]
    for chunk in _chunks(ids, 500):
        for row_id, forum_id, person_id, role, ended_on in w.session.execute(
            select(table.c.id, table.c.forum_id, table.c.person_id, table.c.role,
                   table.c.ended_on).where(table.c.forum_id.in_(chunk))
        ):
            stored[forum_id, person_id] = (row_id, role, ended_on)
    wanted = {
        (forum_ids[e["key"]], w.ref("people", m["person"])): m["role"]
        for e in entries for m in e["members"]
    }
    new_rows, changed_rows, ended_ids = [], [], []
    for pair, role in wanted.items():
        if pair not in stored:
            new_rows.append({"forum_id": pair[0], "person_id": pair[1], "role": role})
        elif stored[pair][1] != role or stored[pair][2] is not None:
            changed_rows.append({"_id": stored[pair][0], "role": role, "ended_on": None})
    for pair, (row_id, _role, ended_on) in stored.items():
        if pair not in wanted and ended_on is None:
            ended_ids.append(row_id)
    if new_rows:
        w.session.execute(insert(table), new_rows)
    if changed_rows:
        w.session.connection().execute(
            update(table).where(table.c.id == bindparam("_id")), changed_rows)
    for chunk in _chunks(ended_ids, 500):
        w.session.execute(update(table).where(table.c.id.in_(chunk)).values(
            ended_on=w.now.date()))


def _replace_values(w: _Writer, entries: list[dict]) -> None:
    """Replace the dated values of the written indicators."""
    indicator_ids = w.key_ids("indicators")
    ids = [indicator_ids[e["key"]] for e in entries]
    for chunk in _chunks(ids, 500):
        w.session.execute(delete(IndicatorValue).where(IndicatorValue.indicator_id.in_(chunk)))
    rows = [
        {"indicator_id": indicator_ids[e["key"]], "measured_on": v["date"],
         "value": float(v["value"])}
        for e in entries for v in e["values"]
    ]
    if rows:
        w.session.execute(insert(IndicatorValue), rows)
