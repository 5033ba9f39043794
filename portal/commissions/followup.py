"""Following a commission up: status reports (append-only) and the risk register."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from portal.audit.snapshot import snapshot
from portal.commissions.services import (
    TEXT_MAX,
    check_date,
    check_text,
    check_version,
    commit_change,
    lookup,
    require_edit,
)
from portal.dates import today
from portal.entries import EntryError
from portal.extensions import db
from portal.models import Commission, Person, Risk, StatusReport
from portal.models.base import SHORT_TEXT
from portal.models.followup import RISK_SCALE, RISK_STATUSES, STATUS_LIGHTS

if TYPE_CHECKING:
    from portal.models import User


def add_status_report(actor: User | None, commission: Commission, *, reported_on: date | None,
                      light: str | None, comment: str | None) -> StatusReport:
    """Add a dated status report; earlier reports stay as they were."""
    require_edit(actor, commission)
    report = StatusReport(commission=commission, author=actor)
    errors: dict[str, Any] = {}
    check_date(errors, "reported_on", reported_on, required=True, not_after=today())
    if light not in STATUS_LIGHTS:
        errors["light"] = _l("Choose how the commission is doing.")
    text = check_text(errors, "comment", comment, TEXT_MAX)
    if errors:
        raise EntryError(errors)
    report.reported_on, report.light, report.comment = reported_on, light, text
    db.session.add(report)
    commit_change(actor, report, "create", None)
    return report


def _risk_values(data: dict[str, Any]) -> dict[str, Any]:
    """Check a risk's fields; raise EntryError listing every problem."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {
        "title": check_text(errors, "title", data.get("title"), SHORT_TEXT),
        # No mitigation is stored as none (`null` in an export), not as "".
        "mitigation": check_text(errors, "mitigation", data.get("mitigation"), TEXT_MAX,
                                 required=False) or None,
    }
    for field in ("likelihood", "consequence"):
        value = data.get(field)
        if isinstance(value, bool) or value not in RISK_SCALE:
            errors[field] = _l("Choose a value from 1 to 5.")
        values[field] = value
    status = data.get("status") or "open"
    if status not in RISK_STATUSES:
        errors["status"] = _l("Choose one of the listed values.")
    values["status"] = status
    values["owner_person"] = lookup(errors, "owner_person", Person, data.get("owner_person"))
    if errors:
        raise EntryError(errors)
    return values


def add_risk(actor: User | None, commission: Commission, **data: Any) -> Risk:
    """Add a risk to a commission's register."""
    require_edit(actor, commission)
    risk = Risk(commission=commission, **_risk_values(data))
    db.session.add(risk)
    commit_change(actor, risk, "create", None)
    return risk


def update_risk(actor: User | None, risk: Risk, version: int | str | None,
                **data: Any) -> Risk:
    """Change a risk's description, scores, owner, mitigation or status."""
    require_edit(actor, risk)
    check_version(risk, version)
    before = snapshot(risk)
    current = {"title": risk.title, "mitigation": risk.mitigation,
               "likelihood": risk.likelihood, "consequence": risk.consequence,
               "status": risk.status, "owner_person": before["owner_person"]}
    for name, value in _risk_values({**current, **data}).items():
        setattr(risk, name, value)
    commit_change(actor, risk, "update", before)
    return risk
