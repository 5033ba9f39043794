"""Import and export for admins, and the export in the JSON API."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.services import record_now
from portal.auth.permissions import can_administer, can_view
from portal.exchange import services
from portal.exchange.forms import ImportForm
from portal.exchange.validator import ExchangeValidationError

bp = Blueprint("exchange", __name__)


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
