"""Import and export operations used by the CLI, the admin pages and the API."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from portal.analysis.core import KINDS, analyze, today
from portal.audit.services import record
from portal.exchange.exporter import export_document
from portal.exchange.importer import MODELS, ImportReport, import_document, refusals
from portal.exchange.preview import KindChange, Summary, diff, findings_change, merge
from portal.exchange.schema import LISTS
from portal.exchange.spreadsheet import SpreadsheetError, Table, build_plan, changes, locate
from portal.exchange.validator import (
    ExchangeError,
    ExchangeValidationError,
    Existing,
    StoredMeeting,
    check_document,
    dump_document,
    load_document,
    parse_json,
)
from portal.extensions import db
from portal.faults import pause_at
from portal.findings.services import current_settings, findings, map_document
from portal.models import Decision, Forum, Organisation
from portal.models.document import Document
from portal.models.meeting import Meeting
from portal.search import index as search_index

if TYPE_CHECKING:
    from portal.models import User

CHUNK = 500


@dataclass
class Checked:
    """A document checked against the database, nothing written.

    `document` is the normalized document (valid only when `errors` is empty), `stored` the
    database as exported, which the importer then compares with.
    """

    document: dict[str, Any]
    errors: list[ExchangeError]
    stored: dict[str, Any]

    @property
    def valid(self) -> bool:
        """True when the document can be imported."""
        return not self.errors


def existing_from(stored: Mapping[str, list[dict]]) -> Existing:
    """What the validator needs to know of the database, from its export."""
    drafts = set(db.session.scalars(select(Decision.key).where(Decision.status == "draft")))
    return Existing(
        keys={name: {e["key"] for e in stored.get(name, [])} for name in LISTS},
        org_parents={e["key"]: e["parent"] for e in stored["organisations"]},
        document_parents={e["key"]: e["parent"] for e in stored["documents"]},
        meetings={e["key"]: StoredMeeting(e["forum"], e["status"], e["date"])
                  for e in stored["meetings"]},
        draft_decisions=drafts,
        records={name: {e["key"]: e for e in stored[name]}
                 for name in ("decisions", "status_reports")},
    )


def check_text(text: str | bytes | object, max_errors: int = 100) -> Checked:
    """Parse and validate a document against the database; write nothing.

    `text` is JSON text, or an already parsed document. The errors are structured
    (`portal.exchange.messages.error_text` words them in the user's language).
    """
    stored = export_document(db.session)
    try:
        data = parse_json(text) if isinstance(text, str | bytes | bytearray) else text
    except ExchangeValidationError as exc:
        return Checked({}, exc.errors, stored)
    document, errors = check_document(data, existing_from(stored), max_errors)
    return Checked(document, errors, stored)


def stored_keys(refs: Mapping[str, set[str]] | None = None) -> Existing:
    """The stored keys a file or an entry may refer to.

    With `refs` (target list -> keys, see `validator.references`), only those keys are looked
    up, with the ancestors of referenced organisations and documents and the referenced
    meetings' forum, status and date: saving one entity loads only what it refers to.
    Without, every key is loaded.
    """
    if refs is None:
        keys = {name: set(db.session.scalars(select(MODELS[name].key))) for name in LISTS}
        keys["decisions"] = set(
            db.session.scalars(select(Decision.key).where(Decision.status != "draft")))
        wanted_orgs = wanted_docs = wanted_meetings = None
    else:
        keys = {name: _present(name, refs.get(name, set())) for name in LISTS}
        wanted_orgs = keys["organisations"]
        wanted_docs = keys["documents"]
        wanted_meetings = keys["meetings"]
    drafts: set[str] = set()
    if refs is None or refs.get("decisions"):
        query = select(Decision.key).where(Decision.status == "draft")
        if refs is not None:
            query = query.where(Decision.key.in_(sorted(refs["decisions"])))
        drafts = set(db.session.scalars(query))
    return Existing(
        keys=keys,
        org_parents=_ancestors(Organisation, wanted_orgs),
        document_parents=_ancestors(Document, wanted_docs),
        meetings=_meetings(wanted_meetings),
        draft_decisions=drafts,
    )


def _present(list_name: str, wanted: set[str]) -> set[str]:
    """Which of the wanted keys exist in one table (decisions: final ones)."""
    model = MODELS[list_name]
    found: set[str] = set()
    ordered = sorted(wanted)
    for start in range(0, len(ordered), CHUNK):
        query = select(model.key).where(model.key.in_(ordered[start : start + CHUNK]))
        if model is Decision:
            query = query.where(Decision.status != "draft")
        found.update(db.session.scalars(query))
    return found


def _ancestors(model, keys: set[str] | None) -> dict[str, str | None]:
    """key -> parent key, for the given keys and their ancestors (all rows when None)."""
    parent = db.aliased(model)
    query = select(model.key, parent.key).outerjoin(parent, model.parent_id == parent.id)
    if keys is None:
        return dict(db.session.execute(query).all())
    found: dict[str, str | None] = {}
    frontier = set(keys)
    while frontier:
        rows = dict(db.session.execute(query.where(model.key.in_(sorted(frontier)))).all())
        found.update(rows)
        frontier = {p for p in rows.values() if p is not None and p not in found}
    return found


def _meetings(keys: set[str] | None) -> dict[str, StoredMeeting]:
    """Forum, status and date of the given stored meetings (all when None)."""
    if keys is not None and not keys:
        return {}
    query = select(Meeting.key, Forum.key, Meeting.status, Meeting.meets_on).join(
        Forum, Meeting.forum_id == Forum.id)
    if keys is not None:
        query = query.where(Meeting.key.in_(sorted(keys)))
    return {key: StoredMeeting(forum, status, day)
            for key, forum, status, day in db.session.execute(query)}


class StalePreview(Exception):
    """The map changed after the preview was made: the preview no longer says what happens."""


def map_version(stored: Mapping[str, Any]) -> str:
    """A version of the stored map's content (its export), to tell whether it has changed."""
    return hashlib.sha256(dump_document(dict(stored), indent=None).encode()).hexdigest()


@dataclass
class Preview:
    """A checked document and what importing it would do; nothing written.

    `summary` is None when the document has errors. `version` is the map's version the
    summary was made against (see `map_version`).
    """

    checked: Checked
    summary: Summary | None
    version: str

    @property
    def errors(self) -> list[ExchangeError]:
        return self.checked.errors


def preview_text(text: str | bytes | object, as_of: date | None = None) -> Preview:
    """Check a document and work out what importing it would create, change and leave alone,
    and how the findings would change (the analysis on the map as it would be). Writes nothing.
    """
    checked = check_text(text)
    version = map_version(checked.stored)
    if not checked.errors:
        checked.errors = refusals(db.session, checked.document, checked.stored)
    if checked.errors:
        return Preview(checked, None, version)
    summary = Summary(diff(checked.document, checked.stored))
    summary.findings = _findings_change(checked, as_of)
    return Preview(checked, summary, version)


def _findings_change(checked: Checked, as_of: date | None) -> list[KindChange]:
    """Findings per kind now and after the import, with the settings in force."""
    as_of = as_of or today()
    settings = current_settings()
    before = map_document()
    # Forums closed in the portal stay closed: the analysis sees them without members or areas.
    closed = db.session.scalars(select(Forum.key).where(Forum.closed_on.is_not(None)))
    after = merge(before, checked.document, closed_forums=closed)
    return findings_change(findings(as_of, "sv", settings)["findings"],
                           analyze(after, as_of, settings, "sv")["findings"], KINDS)


def import_text(text: str | bytes, actor: User | None, source: str = "import",
                expected_version: str | None = None, data: Mapping[str, Any] | None = None
                ) -> ImportReport:
    """Validate and import a document; nothing is written if anything is wrong.

    `expected_version`: the map's version a preview was made against; when the map has
    changed since, nothing is written. `data` is added to the audit entry of the import.

    :raise ExchangeValidationError: with every located error found.
    :raise StalePreview: when the map is no longer at `expected_version`.
    """
    try:
        checked = check_text(text)
        if expected_version is not None and map_version(checked.stored) != expected_version:
            raise StalePreview
        if checked.errors:
            raise ExchangeValidationError(checked.errors)
        report = import_document(db.session, checked.document, actor, source=source,
                                 stored=checked.stored)
        search_index.refresh(db.session.connection(), kinds={
            kind for name, kind in search_index.KIND_OF_LIST.items()
            if report.created.get(name) or report.updated.get(name)})
        record(actor, "import", "document", None,
               data={"source": source, **(data or {}), **report.as_dict()})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    # Everything the import writes (rows, audit, search index, the derived data's version) is
    # in the transaction above; nothing is written after the commit. Crash tests stop here.
    pause_at("import-committed")
    return report


def export_text() -> str:
    """The whole database as `samverkan/1` JSON text."""
    return dump_document(export_document(db.session))


def preview_spreadsheet(tables: dict[str, Table]) -> tuple[dict[str, list], str]:
    """What importing the spreadsheet rows would create or change, and the map's version the
    preview was made against (see `map_version`); nothing is written.

    :raise SpreadsheetError: with every problem, located by row and column where possible.
    """
    stored = export_document(db.session)
    plan = build_plan(tables, stored)
    try:
        doc = load_document(dump_document(plan.document), existing=existing_from(stored))
    except ExchangeValidationError as exc:
        raise SpreadsheetError(locate(exc.errors, plan)) from None
    if plan.errors:
        raise SpreadsheetError(locate([], plan))
    return changes(doc, stored), map_version(stored)


def import_spreadsheet(tables: dict[str, Table], actor: User | None,
                       expected_version: str | None = None) -> ImportReport:
    """Import the spreadsheet rows all or nothing, through the exchange format and its audit.

    `expected_version`: the map's version the preview was made against (as for `import_text`).

    :raise SpreadsheetError: with every problem, located by row and column where possible.
    :raise StalePreview: when the map is no longer at `expected_version`.
    """
    plan = build_plan(tables, export_document(db.session))
    if plan.errors:
        raise SpreadsheetError(locate([], plan))
    try:
        return import_text(dump_document(plan.document), actor, source="spreadsheet",
                           expected_version=expected_version)
    except ExchangeValidationError as exc:
        raise SpreadsheetError(locate(exc.errors, plan)) from None
