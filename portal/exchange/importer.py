"""Write a validated `samverkan/1` document into the database: upsert by key, all or nothing.

Every table is written with SQLAlchemy Core statements over lists of rows (one INSERT or
UPDATE per table and kind of change), never object by object: a national map with two years
of meetings has ~100,000 meetings and ~1,000,000 attendance marks.

Records stay records: a final decision or a status report is only ever inserted; the
validator has refused any file that would change one, so an unchanged one is not touched at
all (the database's guards on final decisions never see an UPDATE from an import).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from portal.exchange.exporter import export_document
from portal.exchange.schema import LISTS
from portal.exchange.validator import ExchangeError, ExchangeValidationError, canonical
from portal.faults import pause_at
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

if TYPE_CHECKING:
    from portal.models import User

LIST_ORDER = LISTS
ENTITY_TYPES = {
    "organisations": "organisation", "people": "person", "areas": "area", "forums": "forum",
    "documents": "document", "commissions": "commission", "milestones": "milestone",
    "recommendations": "recommendation", "actions": "action", "meetings": "meeting",
    "decisions": "decision", "indicators": "indicator", "status_reports": "status_report",
    "risks": "risk",
}
MODELS = {
    "organisations": Organisation, "people": Person, "areas": Area, "forums": Forum,
    "documents": Document, "commissions": Commission, "milestones": Milestone,
    "recommendations": Recommendation, "actions": Action, "meetings": Meeting,
    "decisions": Decision, "indicators": Indicator, "status_reports": StatusReport,
    "risks": Risk,
}
CHUNK = 500


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


def jsonable(value: Any) -> Any:
    """Dates as ISO text, so entries can be stored in the audit trail's JSON columns."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    """Slices of a list, to keep IN clauses short."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _start(text: str | None) -> dt.time | None:
    """A meeting's HH:MM start as a time."""
    return None if text is None else dt.time(int(text[:2]), int(text[3:]))


class _Writer:
    """Applies one document inside the caller's transaction."""

    def __init__(self, session: Session, actor: User | None, source: str) -> None:
        self.session = session
        self.connection = session.connection()
        self.actor = actor
        self.source = source
        self.ids: dict[str, dict[str, int]] = {}
        self.audit_rows: list[dict[str, Any]] = []
        self.report = ImportReport()
        self.now = utcnow()
        self.written = 0

    def execute(self, statement, rows: list[dict] | None = None) -> None:
        """Run a Core statement, for many rows at once when given."""
        if rows is None:
            self.connection.execute(statement)
        elif rows:
            self.connection.execute(statement, rows)
        self.written += len(rows) if rows else 1
        pause_at("import-rows", self.written)  # crash tests only: inert unless switched on

    def key_ids(self, list_name: str) -> dict[str, int]:
        """Return (and cache) key -> id for one table, read after its inserts."""
        if list_name not in self.ids:
            table = MODELS[list_name].__table__
            self.ids[list_name] = dict(
                self.connection.execute(select(table.c.key, table.c.id)).all())
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
        user_id = self.actor.id if self.actor else None
        actor = self.actor.email if self.actor else "system"
        kind = ENTITY_TYPES[list_name]
        data = {"source": self.source}
        for entry in new + changed:
            before = stored.get(entry["key"])
            self.audit_rows.append({
                "at": self.now, "user_id": user_id, "actor": actor,
                "action": "update" if before else "create", "entity_type": kind,
                "entity_key": entry["key"], "before": jsonable(before) if before else None,
                "after": jsonable(entry), "data": data,
            })
        return new, changed

    def upsert(self, list_name: str, new: list[dict], changed: list[dict],
               row: Callable[[dict], dict], versioned: bool = False) -> None:
        """Insert new rows and update changed ones (by key) for one table."""
        table = MODELS[list_name].__table__
        if new:
            self.execute(insert(table), [{"key": e["key"], **row(e)} for e in new])
            self.ids.pop(list_name, None)
        if changed:
            # Without values(), each row's own columns become the SET clause.
            rows = [{"_key": e["key"], **row(e)} for e in changed]
            stmt = update(table).where(table.c.key == bindparam("_key"))
            if versioned:
                stmt = stmt.values(version=table.c.version + 1)
            self.execute(stmt, rows)

    def owner_ids(self, list_name: str, entries: list[dict]) -> list[int]:
        """The ids of the written entries of one list."""
        ids = self.key_ids(list_name)
        return [ids[e["key"]] for e in entries]

    def replace_links(self, table: Table, owner_col: str, other_col: str, list_name: str,
                      entries: Iterable[dict], field_name: str, other_list: str,
                      fresh: bool = False) -> None:
        """Replace an association list (areas, members, actions) of each written entry.

        `fresh`: the entries are all new, so there is nothing to delete first.
        """
        entries = list(entries)
        if not entries:
            return
        owner_ids = self.key_ids(list_name)
        if not fresh:
            for chunk in _chunks(self.owner_ids(list_name, entries)):
                self.execute(delete(table).where(table.c[owner_col].in_(chunk)))
        other_ids = self.key_ids(other_list)
        self.execute(insert(table), [
            {owner_col: owner_ids[e["key"]], other_col: other_ids[other]}
            for e in entries for other in e[field_name]
        ])

    def stored_rows(self, table: Table, owner_col: str, owner_ids: list[int], *columns: str):
        """Rows of a child table that belong to the given owners, as tuples."""
        for chunk in _chunks(owner_ids):
            yield from self.connection.execute(
                select(*(table.c[c] for c in columns)).where(table.c[owner_col].in_(chunk)))

    def flush_audit(self) -> None:
        """Write the per-entity audit rows in one statement."""
        self.execute(insert(AuditEntry.__table__), self.audit_rows)


def import_document(session: Session, doc: dict[str, Any], actor: User | None,
                    source: str = "import", stored: dict[str, Any] | None = None
                    ) -> ImportReport:
    """Upsert a normalized document by key inside the current transaction (caller commits).

    `stored` is the database as `export_document` gives it, when the caller has it already.

    :raise ExchangeValidationError: when the file would change a record (a final decision, a
        status report), use a draft decision's key, or remove an agenda item that a final
        decision was taken on; nothing is written then.
    """
    stored_doc = stored if stored is not None else export_document(session)
    stored_by_key = {name: {e["key"]: e for e in stored_doc.get(name, [])} for name in LISTS}
    w = _Writer(session, actor, source)
    plan = {name: w.changes(name, doc.get(name) or [], stored_by_key[name]) for name in LISTS}
    _refuse_changes_to_records(w, plan)
    _refuse_removing_decided_items(w, plan["meetings"][1])

    new, changed = plan["organisations"]
    w.upsert("organisations", new, changed, lambda e: {
        "name": e["name"], "kind": e["kind"], "is_principal": e["principal"], "parent_id": None})
    _set_self_refs(w, "organisations", new + changed, "parent", "parent_id")

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
    _set_self_refs(w, "forums", new + changed, "reports_to", "reports_to_id")
    w.replace_links(forum_area, "forum_id", "area_id", "forums", new + changed, "areas", "areas")
    w.replace_links(forum_scope, "forum_id", "organisation_id", "forums", new + changed,
                    "scope", "organisations")
    _replace_members(w, new + changed)

    new, changed = plan["documents"]
    w.upsert("documents", new, changed, lambda e: {
        "title": e["title"], "kind": e["kind"], "dated_on": e["date"],
        "owner_forum_id": w.ref("forums", e["owner"]), "parent_id": None,
        "summary": e["summary"], "url": e["url"]})
    _set_self_refs(w, "documents", new + changed, "parent", "parent_id")
    w.replace_links(document_area, "document_id", "area_id", "documents", new + changed,
                    "areas", "areas")

    new, changed = plan["commissions"]
    w.upsert("commissions", new, changed, lambda e: {
        "title": e["title"], "owner_forum_id": w.ref("forums", e["owner"]),
        "directive_id": w.ref("documents", e["directive"]),
        "lead_id": w.ref("people", e["lead"]), "starts_on": e["start"], "ends_on": e["end"],
        "goals": list(e["goals"]), "status": e["status"]})
    w.replace_links(commission_member, "commission_id", "person_id", "commissions",
                    new + changed, "members", "people")
    w.replace_links(commission_co_owner, "commission_id", "forum_id", "commissions",
                    new + changed, "co_owners", "forums")

    new, changed = plan["milestones"]
    milestones = new + changed
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

    new, changed = plan["meetings"]
    forum_ids = w.key_ids("forums")
    w.upsert("meetings", new, changed, lambda e: {
        "forum_id": forum_ids[e["forum"]], "meets_on": e["date"], "start_time": _start(e["start"]),
        "duration": e["duration"], "status": e["status"], "title": e["title"],
        "place": e["place"], "is_attendance_recorded": e["present"] is not None,
        "minutes_approved_on": e["minutes_approved_on"]}, versioned=True)
    _write_meeting_parts(w, new, changed, {
        key for key, e in stored_by_key["meetings"].items() if e["status"] == "held"})

    # Decisions are records: only new ones are written (a changed one was refused above).
    new, _changed = plan["decisions"]
    on_items = _agenda_items_of(w, new, doc.get("milestones") or [])
    w.upsert("decisions", new, [], lambda e: {
        "title": e["title"], "forum_id": forum_ids[e["forum"]], "decided_on": e["date"],
        "text": e["text"], "status": "final", "version_no": 1,
        "meeting_id": w.ref("meetings", e["meeting"]), "agenda_item_id": on_items.get(e["key"]),
        "created_at": w.now})
    w.replace_links(decision_action, "decision_id", "action_id", "decisions", new,
                    "actions", "actions", fresh=True)
    w.replace_links(decision_document, "decision_id", "document_id", "decisions", new,
                    "documents", "documents", fresh=True)
    # A milestone's decisions can be written once the decisions exist.
    w.replace_links(milestone_decision, "milestone_id", "decision_id", "milestones", milestones,
                    "decided_by", "decisions")

    new, changed = plan["indicators"]
    w.upsert("indicators", new, changed, lambda e: {
        "name": e["name"], "unit": e["unit"], "target": e["target"],
        "definition": e["definition"], "source": e["source"],
        "target_source": e["target_source"], "higher_is_better": e["higher_is_better"]})
    w.replace_links(indicator_area, "indicator_id", "area_id", "indicators", new + changed,
                    "areas", "areas")
    _replace_values(w, new, changed)

    new, _changed = plan["status_reports"]
    commission_ids = w.key_ids("commissions")
    w.upsert("status_reports", new, [], lambda e: {
        "commission_id": commission_ids[e["commission"]], "reported_on": e["date"],
        "light": e["light"], "comment": e["comment"], "created_at": w.now})

    new, changed = plan["risks"]
    w.upsert("risks", new, changed, lambda e: {
        "title": e["title"], "commission_id": commission_ids[e["commission"]],
        "likelihood": e["likelihood"], "consequence": e["consequence"],
        "owner_person_id": w.ref("people", e["owner_person"]),
        "mitigation": e["mitigation"], "status": e["status"]}, versioned=True)

    w.flush_audit()
    return w.report


def refusals(session: Session, doc: dict[str, Any], stored: dict[str, Any]) -> list[ExchangeError]:
    """What `import_document` would refuse in a valid document, found without writing.

    The rules that need the database beyond keys: records that would change, a draft
    decision's key, an agenda item a final decision was taken on. A preview shows them.
    """
    stored_by_key = {name: {e["key"]: e for e in stored.get(name, [])} for name in LISTS}
    w = _Writer(session, None, "preview")
    plan = {name: w.changes(name, doc.get(name) or [], stored_by_key[name]) for name in LISTS}
    errors: list[ExchangeError] = []
    for check in (lambda: _refuse_changes_to_records(w, plan),
                  lambda: _refuse_removing_decided_items(w, plan["meetings"][1])):
        try:
            check()
        except ExchangeValidationError as exc:
            errors.extend(exc.errors)
    return errors


def _refuse_changes_to_records(w: _Writer, plan: dict[str, tuple[list, list]]) -> None:
    """Records stay records, whoever calls the importer (the validator says the same first).

    :raise ExchangeValidationError: naming each record the file would change, and each new
        decision whose key a stored draft has.
    """
    errors = [ExchangeError("decisions", e["key"], None, "final_decision_changed")
              for e in plan["decisions"][1]]
    errors += [ExchangeError("status_reports", e["key"], None, "record_changed")
               for e in plan["status_reports"][1]]
    table = Decision.__table__
    keys = [e["key"] for e in plan["decisions"][0]]
    for chunk in _chunks(keys):
        for key in w.connection.execute(
            select(table.c.key).where(table.c.key.in_(chunk), table.c.status == "draft")
        ).scalars():
            errors.append(ExchangeError("decisions", key, "key", "draft_decision_key",
                                        {"key": key}))
    if errors:
        raise ExchangeValidationError(errors)


def _refuse_removing_decided_items(w: _Writer, changed: list[dict]) -> None:
    """An agenda item a final decision was taken on cannot go (the decision would change).

    :raise ExchangeValidationError: located at the meeting's agenda.
    """
    if not changed:
        return
    meetings = w.key_ids("meetings")
    by_id = {meetings[e["key"]]: e for e in changed}
    items = AgendaItem.__table__
    decisions = Decision.__table__
    errors = []
    for chunk in _chunks(list(by_id)):
        for meeting_id, position, key in w.connection.execute(
            select(items.c.meeting_id, items.c.position, decisions.c.key)
            .join(decisions, decisions.c.agenda_item_id == items.c.id)
            .where(items.c.meeting_id.in_(chunk), decisions.c.status == "final")
        ):
            entry = by_id[meeting_id]
            if position > len(entry["agenda"]):
                errors.append(ExchangeError("meetings", entry["key"], "agenda",
                                            "agenda_item_has_decision",
                                            {"number": position, "key": key}))
    if errors:
        raise ExchangeValidationError(errors)


def _set_self_refs(w: _Writer, list_name: str, entries: list[dict], field_name: str,
                   column: str) -> None:
    """Set parent / reports_to after all rows of the table exist (they may point forward)."""
    rows = [{"_key": e["key"], column: w.ref(list_name, e[field_name])}
            for e in entries if e[field_name] is not None]
    table = MODELS[list_name].__table__
    w.execute(update(table).where(table.c.key == bindparam("_key")), rows)


def _replace_members(w: _Writer, entries: list[dict]) -> None:
    """Make the file's member lists the current seats of the written forums.

    Seats that are not in the file are ended, not deleted, so the forum keeps its history;
    a former member who is in the file again takes up their seat again. Whom a member
    represents (`on_behalf_of`) is replaced with the file's.
    """
    if not entries:
        return
    forum_ids = w.key_ids("forums")
    person_ids = w.key_ids("people")
    org_ids = w.key_ids("organisations")
    table = ForumMembership.__table__
    stored: dict[tuple[int, int], tuple[int, str, date | None]] = {}
    for row_id, forum_id, person_id, role, ended_on in w.stored_rows(
        table, "forum_id", w.owner_ids("forums", entries),
        "id", "forum_id", "person_id", "role", "ended_on",
    ):
        stored[forum_id, person_id] = (row_id, role, ended_on)
    wanted = {
        (forum_ids[e["key"]], person_ids[m["person"]]): m
        for e in entries for m in e["members"]
    }
    new_rows, changed_rows, ended_ids = [], [], []
    for pair, member in wanted.items():
        if pair not in stored:
            new_rows.append({"forum_id": pair[0], "person_id": pair[1], "role": member["role"]})
        elif stored[pair][1] != member["role"] or stored[pair][2] is not None:
            changed_rows.append({"_id": stored[pair][0], "role": member["role"],
                                 "ended_on": None})
    for pair, (row_id, _role, ended_on) in stored.items():
        if pair not in wanted and ended_on is None:
            ended_ids.append(row_id)
    w.execute(insert(table), new_rows)
    w.execute(update(table).where(table.c.id == bindparam("_id")), changed_rows)
    for chunk in _chunks(ended_ids):
        w.execute(update(table).where(table.c.id.in_(chunk)).values(ended_on=w.now.date()))
    # Whom each current member represents: replaced for every seat in the file.
    seat_ids = {pair: row[0] for pair, row in stored.items()}
    if new_rows:
        for row_id, forum_id, person_id in w.stored_rows(
            table, "forum_id", sorted({r["forum_id"] for r in new_rows}),
            "id", "forum_id", "person_id",
        ):
            seat_ids[forum_id, person_id] = row_id
    stored_seats = [seat_ids[pair] for pair in wanted if pair in stored]
    for chunk in _chunks(stored_seats):
        w.execute(delete(membership_principal).where(
            membership_principal.c.membership_id.in_(chunk)))
    w.execute(insert(membership_principal), [
        {"membership_id": seat_ids[pair], "organisation_id": org_ids[org]}
        for pair, member in wanted.items() for org in member["on_behalf_of"]
    ])


def _write_meeting_parts(w: _Writer, new: list[dict], changed: list[dict],
                         was_held: set[str]) -> None:
    """Agenda, attendance and approvers of the written meetings.

    New meetings get theirs in bulk. A changed meeting keeps the rows that stay (an agenda item
    keeps its id and the decisions taken on it; an attendance mark keeps whom a substitute
    stood in for; an approver keeps the date they approved), changes what differs and
    removes the rest.

    Attendance and approvers follow the file when it gives the meeting as held, or when the
    stored meeting was held (a file that says it was not takes its record away). A meeting
    neither held in the portal nor in the file has no attendance in the format, so what the
    portal keeps for it (apologies sent in advance) is left as it is; `was_held` names the
    meetings stored as held.
    """
    meeting_ids = w.key_ids("meetings")
    person_ids = w.key_ids("people")
    targets = {name: w.key_ids(name + "s") for name in
               ("commission", "milestone", "action", "recommendation")}

    def item_row(item: dict) -> dict:
        return {"title": item["title"], **{
            f"{name}_id": None if item[name] is None else targets[name][item[name]]
            for name in targets}}

    def marks(e: dict) -> dict[int, str]:
        out = {person_ids[p]: "apologies" for p in e["apologies"] or []}
        out.update((person_ids[p], "present") for p in e["present"] or [])
        return out

    agenda, attendance, approvers = [], [], []
    for e in new:
        mid = meeting_ids[e["key"]]
        agenda += [{"meeting_id": mid, "position": n, **item_row(item)}
                   for n, item in enumerate(e["agenda"], 1)]
        attendance += [{"meeting_id": mid, "person_id": pid, "status": status}
                       for pid, status in marks(e).items()]
        approvers += [{"meeting_id": mid, "person_id": person_ids[p],
                       "approved_on": e["minutes_approved_on"]}
                      for p in e["minutes_approved_by"] or []]
    if changed:
        _diff_meeting_parts(w, changed, item_row, marks, agenda, attendance, approvers,
                            was_held)
    w.execute(insert(AgendaItem.__table__), agenda)
    w.execute(insert(Attendance.__table__), attendance)
    w.execute(insert(MinutesApprover.__table__), approvers)


def _agenda_items_of(w: _Writer, decisions: list[dict], milestones: list[dict]) -> dict[str, int]:
    """The agenda item each new decision was taken on, matched inside its meeting.

    The format links a decision to its meeting only, so the item is found again: the first
    item (by position) whose title is the decision's title (case and spaces aside), else the
    first about one of the decisions's actions or about a milestone it decided. A decision
    no item matches stays linked to the meeting alone.
    """
    meeting_ids = w.key_ids("meetings")
    wanted = [e for e in decisions if e.get("meeting")]
    if not wanted:
        return {}
    items = AgendaItem.__table__
    by_meeting: dict[int, list[tuple]] = defaultdict(list)
    for row in w.stored_rows(items, "meeting_id",
                             sorted({meeting_ids[e["meeting"]] for e in wanted}),
                             "meeting_id", "position", "id", "title", "action_id",
                             "milestone_id"):
        by_meeting[row[0]].append(row[1:])
    decided: dict[str, set[str]] = defaultdict(set)
    for milestone in milestones:
        for key in milestone.get("decided_by") or []:
            decided[key].add(milestone["key"])
    action_ids, milestone_ids = w.key_ids("actions"), w.key_ids("milestones")
    found = {}
    for entry in wanted:
        candidates = sorted(by_meeting.get(meeting_ids[entry["meeting"]], []))
        title = " ".join((entry["title"] or "").split()).casefold()
        about = ({action_ids[k] for k in entry.get("actions") or [] if k in action_ids},
                 {milestone_ids[k] for k in decided[entry["key"]] if k in milestone_ids})
        match = next((c for c in candidates if " ".join(c[2].split()).casefold() == title),
                     None) or next((c for c in candidates
                                    if c[3] in about[0] or c[4] in about[1]), None)
        if match is not None:
            found[entry["key"]] = match[1]
    return found


def _diff_meeting_parts(w: _Writer, changed, item_row, marks, agenda, attendance,
                        approvers, was_held: set[str]) -> None:
    """Bring the parts of changed meetings in line with the file; new rows go to the lists."""
    meeting_ids = w.key_ids("meetings")
    person_ids = w.key_ids("people")
    ids = [meeting_ids[e["key"]] for e in changed]
    by_id = {meeting_ids[e["key"]]: e for e in changed}

    items = AgendaItem.__table__
    stored_items: dict[int, dict[int, int]] = defaultdict(dict)
    for item_id, meeting_id, position in w.stored_rows(
            items, "meeting_id", ids, "id", "meeting_id", "position"):
        stored_items[meeting_id][position] = item_id
    item_updates, item_deletes = [], []
    for mid, e in by_id.items():
        for n, item in enumerate(e["agenda"], 1):
            if n in stored_items[mid]:
                item_updates.append({"_id": stored_items[mid][n], **item_row(item)})
            else:
                agenda.append({"meeting_id": mid, "position": n, **item_row(item)})
        item_deletes += [i for n, i in stored_items[mid].items() if n > len(e["agenda"])]
    w.execute(update(items).where(items.c.id == bindparam("_id")), item_updates)
    for chunk in _chunks(item_deletes):
        w.execute(delete(items).where(items.c.id.in_(chunk)))

    # Attendance and approvers: not of a meeting held neither in the portal nor in the file.
    by_id = {mid: e for mid, e in by_id.items()
             if e["status"] == "held" or e["key"] in was_held}
    ids = list(by_id)
    table = Attendance.__table__
    stored_marks: dict[tuple[int, int], tuple[int, str]] = {}
    for row_id, meeting_id, person_id, status in w.stored_rows(
            table, "meeting_id", ids, "id", "meeting_id", "person_id", "status"):
        stored_marks[meeting_id, person_id] = (row_id, status)
    wanted = {(mid, pid): status for mid, e in by_id.items() for pid, status in marks(e).items()}
    status_updates = [{"_id": stored_marks[pair][0], "status": status}
                      for pair, status in wanted.items()
                      if pair in stored_marks and stored_marks[pair][1] != status]
    attendance += [{"meeting_id": pair[0], "person_id": pair[1], "status": status}
                   for pair, status in wanted.items() if pair not in stored_marks]
    gone = [row[0] for pair, row in stored_marks.items() if pair not in wanted]
    w.execute(update(table).where(table.c.id == bindparam("_id")), status_updates)
    for chunk in _chunks(gone):
        w.execute(delete(table).where(table.c.id.in_(chunk)))

    table = MinutesApprover.__table__
    stored_approvers: dict[tuple[int, int], tuple[int, date | None]] = {}
    for row_id, meeting_id, person_id, approved_on in w.stored_rows(
            table, "meeting_id", ids, "id", "meeting_id", "person_id", "approved_on"):
        stored_approvers[meeting_id, person_id] = (row_id, approved_on)
    wanted_approvers = {(mid, person_ids[p]): e["minutes_approved_on"]
                        for mid, e in by_id.items() for p in e["minutes_approved_by"] or []}
    approvers += [{"meeting_id": pair[0], "person_id": pair[1], "approved_on": on}
                  for pair, on in wanted_approvers.items() if pair not in stored_approvers]
    dated = [{"_id": stored_approvers[pair][0], "approved_on": on}
             for pair, on in wanted_approvers.items()
             if pair in stored_approvers and stored_approvers[pair][1] is None and on]
    gone = [row[0] for pair, row in stored_approvers.items() if pair not in wanted_approvers]
    w.execute(update(table).where(table.c.id == bindparam("_id")), dated)
    for chunk in _chunks(gone):
        w.execute(delete(table).where(table.c.id.in_(chunk)))


def _replace_values(w: _Writer, new: list[dict], changed: list[dict]) -> None:
    """Replace the dated values of the written indicators."""
    indicator_ids = w.key_ids("indicators")
    org_ids = w.key_ids("organisations")
    for chunk in _chunks(w.owner_ids("indicators", changed)):
        w.execute(delete(IndicatorValue.__table__).where(
            IndicatorValue.__table__.c.indicator_id.in_(chunk)))
    w.execute(insert(IndicatorValue.__table__), [
        {"indicator_id": indicator_ids[e["key"]], "measured_on": v["date"],
         "value": float(v["value"]),
         "organisation_id": None if v["organisation"] is None else org_ids[v["organisation"]]}
        for e in new + changed for v in e["values"]
    ])
