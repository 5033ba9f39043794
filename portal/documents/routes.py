"""Pages of documents: the hierarchy, one document with what surrounds it, admin edits."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.audit.snapshot import snapshot
from portal.auth.permissions import can_edit_register
from portal.directory import queries
from portal.documents import services
from portal.documents.forms import DocumentForm
from portal.extensions import derived
from portal.models import Document
from portal.views import based_on_of, entry_page, get_by_key

bp = Blueprint("documents", __name__)


@bp.get("/dokument")
def index():
    """The documents as a hierarchy: the road map, the plans under it, and the rest."""
    content = derived.html(
        "document-list", can_edit_register(current_user), render=lambda: render_template(
            "documents/_index.html", roots=services.hierarchy()))
    return render_template("documents/index.html", content=content)


@bp.get("/dokument/<key>")
def detail(key: str):
    """One document with the decisions, commissions and forums around it."""
    document = get_by_key(Document, key)

    def content() -> str:
        full = get_by_key(Document, key, selectinload(Document.children),
                          selectinload(Document.areas), selectinload(Document.owner_forum))
        return render_template("documents/_detail.html", document=full,
                               chain=services.ancestors(full), **services.surroundings(full))

    return render_template("documents/detail.html", document=document, content=derived.html(
        "document-page", document.key, can_edit_register(current_user), render=content))


@bp.route("/dokument/ny", methods=["GET", "POST"])
def new():
    """Add a document (admins)."""
    _allow()
    form = DocumentForm()
    _choices(form)
    return entry_page(form, lambda entry: services.create_document(current_user, entry),
                      _detail, _("New document"), url_for("documents.index"),
                      areas=form.areas.choices)


@bp.route("/dokument/<key>/redigera", methods=["GET", "POST"])
def edit(key: str):
    """Change a document (admins)."""
    _allow()
    document = get_by_key(Document, key)
    form = DocumentForm(data={**snapshot(document), "date": document.dated_on}).without_key()
    _choices(form, document)
    based_on = based_on_of(document, form)
    return entry_page(
        form, lambda entry: services.update_document(current_user, document, entry, based_on),
        _detail, _("Edit %(name)s", name=document.title),
        url_for("documents.detail", key=document.key), areas=form.areas.choices,
        based_on=based_on)


def _detail(document: Document) -> str:
    return url_for("documents.detail", key=document.key)


def _allow() -> None:
    """Answer 403 unless the user may edit the register."""
    if not can_edit_register(current_user):
        abort(403)


def _choices(form: DocumentForm, document: Document | None = None) -> None:
    form.set_choices(queries.forum_choices(include_closed=True),
                     services.document_choices(document), queries.area_choices())

