"""Import and export for admins."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.audit.events import count_refusal
from portal.auth.permissions import can_administer
from portal.exchange import services
from portal.exchange.forms import (
    ConfirmImportForm,
    ConfirmSpreadsheetForm,
    ImportForm,
    SpreadsheetForm,
)
from portal.exchange.messages import cell_error_text, error_text
from portal.exchange.preview import describe
from portal.exchange.spreadsheet import (
    MAX_BYTES,
    SpreadsheetError,
    dump_tables,
    load_tables,
    read_upload,
)
from portal.exchange.validator import ExchangeValidationError
from portal.findings.kinds import NAMES
from portal.stored_dates import out_of_range

bp = Blueprint("exchange", __name__)
STASH_SECONDS = 3600  # how long a previewed upload waits for its confirmation
SPREADSHEET_SALT = "exchange.spreadsheet"
IMPORT_SALT = "exchange.import"
STASH_FOLDERS = {SPREADSHEET_SALT: "spreadsheets", IMPORT_SALT: "documents"}
KIND_NAMES = NAMES
SHOWN_ENTRIES = 200  # entries a preview lists per list and kind of change; the counts are all
LIST_NAMES = {
    "organisations": _l("Organisations"), "people": _l("People"), "areas": _l("Focus areas"),
    "forums": _l("Forums"), "documents": _l("Documents"), "commissions": _l("Commissions"),
    "milestones": _l("Milestones"), "recommendations": _l("Recommendations"),
    "actions": _l("Actions"), "meetings": _l("Meetings"), "decisions": _l("Decisions"),
    "indicators": _l("Indicators"), "status_reports": _l("Status reports"), "risks": _l("Risks"),
}


def _require_admin() -> None:
    """Refuse, and record the refusal, unless the user administers the portal."""
    if not can_administer(current_user):
        count_refusal(current_user._get_current_object())
        abort(403)


@bp.route("/admin/utbyte", methods=["GET", "POST"])
def admin():
    """Upload a document and see what importing it would do; or download the whole map."""
    _require_admin()
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("exchange/admin.html", form=form, errors=[],
                               bad_dates=out_of_range()), status
    limit = current_app.config["IMPORT_MAX_BYTES"]
    upload = form.document.data
    data = upload.read(limit + 1)
    if len(data) > limit:
        errors = [_("document: the file is larger than the allowed %(mb)d MB",
                    mb=limit // (1024 * 1024))]
        return render_template("exchange/admin.html", form=form, errors=errors), 400
    preview = services.preview_text(data)
    if preview.errors:
        return _with_errors(form, preview.errors), 400
    name = Path(upload.filename or "").name or "samverkan.json"
    token = _stash(data, name, None, salt=IMPORT_SALT, version=preview.version)
    return render_template("exchange/preview.html", summary=preview.summary, filename=name,
                           confirm=ConfirmImportForm(token=token), kind_names=KIND_NAMES,
                           list_names=LIST_NAMES, describe=describe, shown=SHOWN_ENTRIES)


@bp.post("/admin/utbyte/importera")
def import_confirm():
    """Import a previewed file, if the map is still as it was when the preview was made."""
    _require_admin()
    confirm = ConfirmImportForm()
    stashed = _unstash(confirm.token.data, IMPORT_SALT) if confirm.validate_on_submit() else None
    if stashed is None:
        return _refused(_("The preview has expired or is not valid. Upload the file again."),
                        400)
    if stashed.user != current_user.get_id():
        count_refusal(current_user._get_current_object())
        return _refused(_("This preview was made by another administrator. Upload the file "
                          "yourself to see what it would do."), 403)
    data = _claim(stashed)
    if data is None:
        return _refused(*_not_claimed(stashed))
    try:
        report = services.import_text(
            data, current_user, source="upload", expected_version=stashed.version,
            data={"file": stashed.name, "previewed": True})
    except services.StalePreview:
        return _refused(_("The map has changed since the preview, so it no longer shows what "
                          "the import would do. Upload the file again for a new preview."), 409)
    except ExchangeValidationError as exc:
        return _with_errors(ImportForm(formdata=None), exc.errors), 400
    finally:
        _done(stashed)
    created, updated = sum(report.created.values()), sum(report.updated.values())
    unchanged = sum(report.unchanged.values())
    flash(_("%(name)s was imported: %(created)d new, %(updated)d changed and %(unchanged)d "
            "unchanged entries.", name=stashed.name, created=created, updated=updated,
            unchanged=unchanged), "success")
    return redirect(url_for("exchange.admin"), 303)


def _with_errors(form: ImportForm, errors: list) -> str:
    """The upload page listing every located error in the user's language."""
    lang = str(get_locale())
    return render_template("exchange/admin.html", form=form,
                           errors=[error_text(e, lang) for e in errors])


def _refused(message: str, status: int):
    """The upload page saying why a confirmation was refused; nothing was imported."""
    return render_template("exchange/admin.html", form=ImportForm(formdata=None), errors=[],
                           refused=message), status


@bp.get("/admin/utbyte/export.json")
def download():
    """Download the whole map as a `samverkan/1` file."""
    _require_admin()
    stamp = datetime.now().strftime("%Y-%m-%d")
    return Response(
        services.export_text(),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="samverkan-{stamp}.json"'},
    )


@bp.route("/admin/utbyte/kalkylblad", methods=["GET", "POST"])
def spreadsheet():
    """Upload people or memberships as .xlsx or CSV and preview what would change."""
    _require_admin()
    form = SpreadsheetForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("exchange/spreadsheet.html", form=form, errors=[]), status
    upload = form.sheet.data
    data = upload.read(MAX_BYTES + 1)
    try:
        tables = read_upload(data, upload.filename or "", form.kind.data,
                             current_app.config["SPREADSHEET_PARSE_SECONDS"])
        preview, version = services.preview_spreadsheet(tables)
    except SpreadsheetError as exc:
        return render_template("exchange/spreadsheet.html", form=form,
                               errors=_cell_errors(exc)), 400
    # The rows as read wait for the confirmation: the file is read once, never twice.
    confirm = ConfirmSpreadsheetForm(token=_stash(dump_tables(tables), upload.filename or "",
                                                  form.kind.data, version=version))
    return render_template("exchange/spreadsheet.html", form=form, errors=[], preview=preview,
                           confirm=confirm, filename=upload.filename)


@bp.post("/admin/utbyte/kalkylblad/bekrafta")
def spreadsheet_confirm():
    """Import a previewed spreadsheet, all or nothing."""
    _require_admin()
    confirm = ConfirmSpreadsheetForm()
    stashed = _unstash(confirm.token.data) if confirm.validate_on_submit() else None
    if stashed is None or stashed.user != current_user.get_id():
        abort(400, _("The preview has expired or is not valid. Upload the file again."))
    data = _claim(stashed)
    if data is None:
        message, status = _not_claimed(stashed)
        return render_template("exchange/spreadsheet.html", form=SpreadsheetForm(formdata=None),
                               errors=[], refused=message), status
    tables = _stashed_tables(data)
    if tables is None:
        _done(stashed)
        abort(400, _("The preview has expired or is not valid. Upload the file again."))
    try:
        report = services.import_spreadsheet(tables, current_user,
                                             expected_version=stashed.version)
    except services.StalePreview:
        return render_template(
            "exchange/spreadsheet.html", form=SpreadsheetForm(formdata=None), errors=[],
            refused=_("The map has changed since the preview, so it no longer shows what the "
                      "import would do. Upload the file again for a new preview.")), 409
    except SpreadsheetError as exc:
        return render_template("exchange/spreadsheet.html", form=SpreadsheetForm(formdata=None),
                               errors=_cell_errors(exc)), 400
    finally:
        _done(stashed)
    created, updated = report.created, report.updated
    flash(_("The spreadsheet was imported: %(people)d new and %(changed)d changed people, "
            "%(forums)d forums updated.", people=created.get("people", 0),
            changed=updated.get("people", 0), forums=updated.get("forums", 0)), "success")
    if updated.get("indicators"):
        flash(_("%(num)d indicators got new or changed values.",
                num=updated["indicators"]), "success")
    return redirect(url_for("exchange.spreadsheet"), 303)


def _already_confirmed() -> str:
    """Why a second confirmation of the same preview is refused."""
    return _("This preview has already been confirmed (perhaps in another tab or by a second "
             "click) and is being or has been imported. Look at the result before you upload "
             "the file again.")


def _claim(stashed: Stashed) -> bytes | None:
    """Take the stashed upload for one confirmation: the first to rename it wins.

    A rename is atomic, so of two confirmations of one preview at the same moment exactly one
    gets the file; the other is refused instead of importing it a second time. None when the
    upload is gone (confirmed already, or expired) or not what the token says.
    """
    try:
        stashed.path(".upload").rename(stashed.path(".claimed"))
        data = stashed.path(".claimed").read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != stashed.sha256:
        stashed.path(".claimed").unlink(missing_ok=True)
        return None
    return data


def _not_claimed(stashed: Stashed) -> tuple[str, int]:
    """Why a preview could not be taken for confirmation, and the status to answer with."""
    if stashed.path(".claimed").exists() or stashed.path(".done").exists():
        return _already_confirmed(), 409
    return _("The preview has expired or is not valid. Upload the file again."), 400


def _done(stashed: Stashed) -> None:
    """Forget a confirmed upload's content, keeping a mark that it was confirmed."""
    try:
        stashed.path(".claimed").replace(stashed.path(".done"))
        stashed.path(".done").write_bytes(b"")
    except OSError:
        pass


def _cell_errors(exc: SpreadsheetError) -> list[str]:
    """A spreadsheet's errors, each located by sheet, row and column, in the user's language."""
    lang = str(get_locale())
    return [cell_error_text(e, lang) for e in exc.errors]


def _stashed_tables(data: bytes) -> dict | None:
    """The rows a preview read, or None when the stash holds no rows (a preview stashed
    before the rows were kept held the file itself: it is not read again)."""
    try:
        return load_tables(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class Stashed(NamedTuple):
    """An upload waiting for its confirmation, as its token names it."""

    ident: str
    sha256: str
    name: str
    kind: str | None
    folder: Path
    user: str | None
    version: str | None

    def path(self, state: str) -> Path:
        """The file of the upload while waiting (.upload), confirming (.claimed) or done."""
        return self.folder / f"{self.ident}{state}"


def _stash_dir(salt: str) -> Path:
    """Where uploads wait for confirmation (server side: too large for a form field)."""
    config = current_app.config
    folder = config.get("UPLOAD_STASH_DIR") or config.get("SPREADSHEET_STASH_DIR") or Path(
        current_app.instance_path, "upload-stash")
    folder = Path(folder) / STASH_FOLDERS[salt]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def _stash(data: bytes, name: str, kind: str | None, salt: str = SPREADSHEET_SALT,
           version: str | None = None) -> str:
    """Keep an upload until it is confirmed and return a signed token naming it.

    The token names the admin who uploaded it and, for a preview, the map's version.
    """
    folder = _stash_dir(salt)
    # Forget previews nobody confirmed, confirmed ones, and claims a stopped worker left.
    for old in [*folder.glob("*.upload"), *folder.glob("*.claimed"), *folder.glob("*.done")]:
        if old.stat().st_mtime < time.time() - STASH_SECONDS:
            old.unlink(missing_ok=True)
    ident = secrets.token_hex(16)
    (folder / f"{ident}.upload").write_bytes(data)
    return _serializer(salt).dumps({"id": ident, "sha256": hashlib.sha256(data).hexdigest(),
                                    "name": name, "kind": kind, "user": current_user.get_id(),
                                    "version": version})


def _unstash(token: str | None, salt: str = SPREADSHEET_SALT) -> Stashed | None:
    """The upload a token names, if its signature and age hold (`_claim` reads it)."""
    try:
        info = _serializer(salt).loads(token or "", max_age=STASH_SECONDS)
        ident = info["id"]
        if not (isinstance(ident, str) and len(ident) == 32 and ident.isalnum()):
            return None
        return Stashed(ident, info["sha256"], info["name"], info["kind"], _stash_dir(salt),
                       info.get("user"), info.get("version"))
    except (BadSignature, KeyError, TypeError):
        return None
