"""The privacy notice, the accessibility statement, and personal data for admins."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.audit.events import count_refusal
from portal.auth.permissions import can_administer
from portal.models import Person
from portal.privacy import services
from portal.privacy.forms import PseudonymiseForm
from portal.views import get_by_key

bp = Blueprint("privacy", __name__)
LANGUAGES = ("sv", "en")


def _language() -> str:
    """The language of the long texts, which are written per language rather than per phrase."""
    lang = str(get_locale() or "sv")[:2]
    return lang if lang in LANGUAGES else "sv"


@bp.get("/integritet")
def notice():
    """How the portal handles personal data (public)."""
    return render_template(f"privacy/notice_{_language()}.html")


@bp.get("/tillganglighet")
def accessibility():
    """The accessibility statement required of public digital services (public)."""
    return render_template(f"privacy/accessibility_{_language()}.html")


def _require_admin() -> None:
    """Refuse, and record the refusal, unless the user administers the portal."""
    if not can_administer(current_user):
        count_refusal(current_user._get_current_object())
        abort(403)


@bp.get("/personer/<key>/data.json")
def person_data(key: str):
    """Download everything the portal holds on a person (admins)."""
    _require_admin()
    person = get_by_key(Person, key, selectinload(Person.organisation))
    data = services.personal_data(current_user, person)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="personuppgifter-{key}.json"'},
    )


@bp.route("/personer/<key>/pseudonymisera", methods=["GET", "POST"])
def pseudonymise(key: str):
    """Ask for confirmation, then pseudonymise a person who has left (admins)."""
    _require_admin()
    person = get_by_key(Person, key, selectinload(Person.organisation))
    if services.is_pseudonymised(person):
        abort(409, _("This person has already been pseudonymised."))
    form = PseudonymiseForm()
    if form.validate_on_submit():
        services.pseudonymise(current_user, person)
        flash(_("The person has been pseudonymised."), "success")
        return redirect(url_for("directory.person", key=person.key), 303)
    status = 400 if form.is_submitted() else 200
    accounts = services.linked_users(person)
    return render_template("privacy/pseudonymise.html", person=person, form=form,
                           accounts=accounts), status
