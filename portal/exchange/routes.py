"""Import and export for admins, and the export in the JSON API."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.audit.services import record_now
from portal.auth.permissions import can_administer, can_view
from portal.exchange import services
from portal.exchange.forms import ConfirmSpreadsheetForm, ImportForm, SpreadsheetForm
from portal.exchange.spreadsheet import MAX_BYTES, SpreadsheetError, read_upload
from portal.exchange.validator import ExchangeValidationError

bp = Blueprint("exchange", __name__)
STASH_SECONDS = 3600  # how long a previewed spreadsheet waits for its confirmation


def _require_admin() -> None:
    """Refuse, and record the refusal, unless the user administers the portal."""
    if not can_administer(current_user):
        record_now(current_user._get_current_object(), "access_denied",
                   data={"what": "exchange administration"})
        abort(403)


@bp.route("/admin/utbyte", methods=["GET", "POST"])
def admin():
    """Upload a document to import, or download the whole map."""
    _require_admin()
    form = ImportForm()
    errors: list[str] = []
    report = None
    status = 200
    if form.validate_on_submit():
        data = form.document.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
            errors = [_("document: the file is larger than the allowed %(mb)d MB",
                        mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024))]
            status = 400
        else:
            try:
                report = services.import_text(data, current_user, source="upload")
            except ExchangeValidationError as exc:
                errors = [str(e) for e in exc.errors]
                status = 400
            else:
                flash(_("The file was imported."), "success")
                return render_template("exchange/admin.html", form=ImportForm(), report=report,
                                       errors=[])
    elif form.is_submitted():
        status = 400
    return render_template("exchange/admin.html", form=form, errors=errors, report=report), status


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


@bp.get("/api/v1/export")
def api_export():
    """The whole map as `samverkan/1` JSON for any user with read access."""
    if not can_view(current_user):
        abort(403)
    return Response(services.export_text(), mimetype="application/json")


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
        tables = read_upload(data, upload.filename or "", form.kind.data)
        preview = services.preview_spreadsheet(tables)
    except SpreadsheetError as exc:
        errors = [str(e) for e in exc.errors]
        return render_template("exchange/spreadsheet.html", form=form, errors=errors), 400
    confirm = ConfirmSpreadsheetForm(token=_stash(data, upload.filename or "", form.kind.data))
    return render_template("exchange/spreadsheet.html", form=form, errors=[], preview=preview,
                           confirm=confirm, filename=upload.filename)


@bp.post("/admin/utbyte/kalkylblad/bekrafta")
def spreadsheet_confirm():
    """Import a previewed spreadsheet, all or nothing."""
    _require_admin()
    confirm = ConfirmSpreadsheetForm()
    stashed = _unstash(confirm.token.data) if confirm.validate_on_submit() else None
    if stashed is None:
        abort(400, _("The preview has expired or is not valid. Upload the file again."))
    data, name, kind, path = stashed
    try:
        report = services.import_spreadsheet(read_upload(data, name, kind), current_user)
    except SpreadsheetError as exc:
        errors = [str(e) for e in exc.errors]
        return render_template("exchange/spreadsheet.html", form=SpreadsheetForm(formdata=None),
                               errors=errors), 400
    path.unlink(missing_ok=True)
    created, updated = report.created, report.updated
    flash(_("The spreadsheet was imported: %(people)d new and %(changed)d changed people, "
            "%(forums)d forums updated.", people=created.get("people", 0),
            changed=updated.get("people", 0), forums=updated.get("forums", 0)), "success")
    if updated.get("indicators"):
        flash(_("%(num)d indicators got new or changed values.",
                num=updated["indicators"]), "success")
    return redirect(url_for("exchange.spreadsheet"), 303)


def _stash_dir() -> Path:
    """Where uploads wait for confirmation (server side: too large for a form field)."""
    folder = current_app.config.get("SPREADSHEET_STASH_DIR") or Path(
        current_app.instance_path, "spreadsheet-uploads")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="exchange.spreadsheet")


def _stash(data: bytes, name: str, kind: str | None) -> str:
    """Keep an upload until it is confirmed and return a signed token naming it."""
    folder = _stash_dir()
    for old in folder.glob("*.upload"):  # forget previews nobody confirmed
        if old.stat().st_mtime < time.time() - STASH_SECONDS:
            old.unlink(missing_ok=True)
    ident = secrets.token_hex(16)
    (folder / f"{ident}.upload").write_bytes(data)
    return _serializer().dumps({"id": ident, "sha256": hashlib.sha256(data).hexdigest(),
                                "name": name, "kind": kind, "user": current_user.get_id()})


def _unstash(token: str | None):
    """The upload a token names, if the signature, the user and the content all match."""
    try:
        info = _serializer().loads(token or "", max_age=STASH_SECONDS)
        path = _stash_dir() / f"{info['id']}.upload"
        data = path.read_bytes() if len(info["id"]) == 32 and info["id"].isalnum() else b""
    except (BadSignature, KeyError, TypeError, OSError):
        return None
    if info.get("user") != current_user.get_id() or (
            hashlib.sha256(data).hexdigest() != info["sha256"]):
        return None
    return data, info["name"], info["kind"], path
