"""Keeping indicator values up to date (admins), with the import's rules and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import PermissionDenied, can_edit_register
from portal.entries import EntryError, entry_errors
from portal.extensions import db
from portal.models import Indicator, IndicatorValue

if TYPE_CHECKING:
    from portal.models import User


def add_value(actor: User, indicator: Indicator, measured_on: date | None,
              value: float | None) -> IndicatorValue:
    """Add the value measured on a date; one value per date.

    :raise PermissionDenied: unless the actor is an admin.
    :raise EntryError: naming `date` or `value` when the import would refuse them.
    """
    before = _start(actor, indicator)
    _check(indicator, [*before["values"], {"date": measured_on, "value": value}])
    row = IndicatorValue(indicator=indicator, measured_on=measured_on, value=float(value))
    db.session.add(row)
    _finish(actor, "add_value", indicator, before, measured_on)
    return row


def change_value(actor: User, row: IndicatorValue, value: float | None) -> IndicatorValue:
    """Change the value measured on a date.

    :raise EntryError: naming `value` when it is not a number.
    """
    indicator = row.indicator
    before = _start(actor, indicator)
    _check(indicator, [
        {**v, "value": value} if v["date"] == row.measured_on.isoformat() else v
        for v in before["values"]
    ])
    row.value = float(value)
    _finish(actor, "change_value", indicator, before, row.measured_on)
    return row


def remove_value(actor: User, row: IndicatorValue) -> None:
    """Remove a value entered by mistake (the audit trail keeps it)."""
    indicator = row.indicator
    before = _start(actor, indicator)
    measured_on = row.measured_on
    indicator.values.remove(row)
    _finish(actor, "remove_value", indicator, before, measured_on)


def _start(actor: User, indicator: Indicator) -> dict:
    """Refuse anyone but an admin; return the indicator as it is now."""
    if not can_edit_register(actor):
        raise PermissionDenied()
    return snapshot(indicator)


def _check(indicator: Indicator, values: list[dict]) -> None:
    """The indicator with these values, checked as the import would check it."""
    errors = entry_errors("indicators", {**snapshot(indicator), "values": values})
    if errors:
        raise EntryError(errors)


def _finish(actor: User, action: str, indicator: Indicator, before: dict, on: date) -> None:
    """Record the change with the indicator before and after, and commit."""
    db.session.flush()
    db.session.refresh(indicator, ["values"])
    record(actor, action, "indicator", indicator.key, before=before, after=snapshot(indicator),
           data={"date": on.isoformat()})
    db.session.commit()
