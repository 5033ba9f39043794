"""Import and export operations used by the CLI, the admin pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.audit.services import record
from portal.exchange.exporter import export_document
from portal.exchange.importer import LIST_ORDER, MODELS, ImportReport, import_document
from portal.exchange.spreadsheet import SpreadsheetError, Table, build_plan, changes, locate
from portal.exchange.validator import (
    ExchangeValidationError,
    Existing,
    dump_document,
    load_document,
)
from portal.extensions import db
from portal.models import Organisation
from portal.search import index as search_index

if TYPE_CHECKING:
    from portal.models import User


def stored_keys() -> Existing:
    """The keys already in the database, so that a file may refer to them."""
    keys = {
        name: set(db.session.scalars(select(MODELS[name].key)).all()) for name in LIST_ORDER
    }
    parent = db.aliased(Organisation)
    parents = dict(
        db.session.execute(
            select(Organisation.key, parent.key).outerjoin(
                parent, Organisation.parent_id == parent.id
            )
        ).all()
    )
    return Existing(keys=keys, org_parents=parents)


def import_text(text: str | bytes, actor: User | None, source: str = "import") -> ImportReport:
    """Validate and import a document; nothing is written if anything is wrong.

    :raise ExchangeValidationError: with every located error found.
    """
    try:
        doc = load_document(text, existing=stored_keys())
        report = import_document(db.session, doc, actor, source=source)
        search_index.refresh(db.session.connection(), kinds={
            kind for name, kind in search_index.KIND_OF_LIST.items()
            if report.created.get(name) or report.updated.get(name)})
        record(actor, "import", "document", None, data={"source": source, **report.as_dict()})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def export_text() -> str:
    """The whole database as `samverkan/1` JSON text."""
    return dump_document(export_document(db.session))


def preview_spreadsheet(tables: dict[str, Table]) -> dict[str, list]:
    """What importing the spreadsheet rows would create or change; nothing is written.

    :raise SpreadsheetError: with every problem, located by row and column where possible.
    """
    stored = export_document(db.session)
    plan = build_plan(tables, stored)
    try:
        doc = load_document(dump_document(plan.document), existing=stored_keys())
    except ExchangeValidationError as exc:
        raise SpreadsheetError(locate(exc.errors, plan)) from None
    if plan.errors:
        raise SpreadsheetError(locate([], plan))
    return changes(doc, stored)


def import_spreadsheet(tables: dict[str, Table], actor: User | None) -> ImportReport:
    """Import the spreadsheet rows all or nothing, through the exchange format and its audit.

    :raise SpreadsheetError: with every problem, located by row and column where possible.
    """
    plan = build_plan(tables, export_document(db.session))
    if plan.errors:
        raise SpreadsheetError(locate([], plan))
    try:
        return import_text(dump_document(plan.document), actor, source="spreadsheet")
    except ExchangeValidationError as exc:
        raise SpreadsheetError(locate(exc.errors, plan)) from None
