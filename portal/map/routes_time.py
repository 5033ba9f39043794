"""The structure over time and in other shapes: snapshots, their comparison, and what-if."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.permissions import can_save_snapshot
from portal.findings.kinds import NAMES
from portal.findings.services import map_document
from portal.findings.web import finding_context
from portal.map import services
from portal.map.blueprint import bp, lang
from portal.map.forms import SnapshotForm
from portal.map.whatif import WhatIfError
from portal.views import render


@bp.route("/karta/ogonblicksbilder", methods=["GET", "POST"])
def snapshots():
    """The saved snapshots; admins and leadership save the current structure as a new one."""
    form = SnapshotForm()
    if request.method == "POST":
        if not can_save_snapshot(current_user):
            abort(403)
        if form.validate_on_submit():
            saved = services.save_snapshot(current_user._get_current_object(), form.name.data,
                                           lang())
            return redirect(url_for("map.snapshots", saved=saved.id), 303)
    rows = services.snapshots()
    status = 400 if form.errors else 200
    return render("map/snapshots.html", "map/_snapshot_list.html", form=form, rows=rows,
                  saved=request.args.get("saved"), names=NAMES), status


@bp.get("/karta/ogonblicksbilder/jamfor")
def compare():
    """What changed between two snapshots, or between a snapshot and the map as it is now.

    :raise 404: when a snapshot does not exist.
    """
    first = request.args.get("from", "")
    second = request.args.get("to", services.CURRENT)
    rows = services.snapshots()
    result = None
    if first:
        result = services.compare(first, second, None, lang())
        if result is None:
            abort(404)
    return render("map/compare.html", "map/_compare.html", rows=rows, first=first,
                  second=second, result=result, current=services.CURRENT,
                  **finding_context())


@bp.get("/karta/vad-om")
def whatif():
    """Preview merging two forums or dissolving one: the findings before and after."""
    action = request.args.get("action") if request.args.get("action") in (
        "merge", "dissolve") else "merge"
    forum, into = request.args.get("forum", ""), request.args.get("into", "")
    forums = sorted(map_document()["forums"], key=lambda f: (f["name"], f["key"]))
    known = {f["key"] for f in forums}
    result, error = None, None
    if forum not in known or (action == "merge" and into not in known):
        error = _("Choose the forums from the lists.") if forum or into else None
    elif action == "merge" and forum == into:
        error = _("Choose two different forums to merge.")
    else:
        try:
            result = services.whatif(action, forum, into, None, lang())
        except WhatIfError:  # the lists above make this rare; say so rather than fail
            error = _("The change cannot be previewed.")
    status = 400 if error else 200
    return render("map/whatif.html", "map/_whatif_result.html", action=action, forum=forum,
                  into=into, forums=forums, result=result, error=error,
                  **finding_context()), status
