"""Keeping indicator values up to date (admins), with the import's rules and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import PermissionDenied, can_edit_register
from portal.entries import EntryError, entry_errors
from portal.extensions import db
from portal.models import Indicator, IndicatorValue, Organisation

if TYPE_CHECKING:
    from portal.models import User


def add_value(actor: User, indicator: Indicator, measured_on: date | None,
              value: float | None, organisation: str | None = None) -> IndicatorValue:
    """Add the value measured on a date for an organisation (None: the whole region); one
    value per date and organisation.

    :raise PermissionDenied: unless the actor is an admin.
    :raise EntryError: naming `date`, `value` or `organisation` when the import would refuse
        them (a second value on the date, an unknown organisation, not a number).
    """
    before = _start(actor, indicator)
    organisation = organisation or None
    _check(indicator, [*before["values"],
                       {"date": measured_on, "value": value, "organisation": organisation}])
    row = IndicatorValue(indicator=indicator, measured_on=measured_on, value=float(value),
                         organisation=_organisation(organisation))
    db.session.add(row)
    _finish(actor, "add_value", indicator, before, row)
    return row


def change_value(actor: User, row: IndicatorValue, value: float | None) -> IndicatorValue:
    """Change the value measured on a date (for the row's organisation or the region).

    :raise EntryError: naming `value` when it is not a number.
    """
    indicator = row.indicator
    before = _start(actor, indicator)
    place = _place(row)
    _check(indicator, [
        {**v, "value": value} if (v["date"], v.get("organisation")) == place else v
        for v in before["values"]
    ])
    row.value = float(value)
    _finish(actor, "change_value", indicator, before, row)
    return row


def remove_value(actor: User, row: IndicatorValue) -> None:
    """Remove a value entered by mistake (the audit trail keeps it)."""
    indicator = row.indicator
    before = _start(actor, indicator)
    place = _place(row)
    indicator.values.remove(row)
    _finish(actor, "remove_value", indicator, before, place)


def _organisation(key: str | None) -> Organisation | None:
    """The organisation with this key (the entry check found it exists), None for none."""
    if key is None:
        return None
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def _place(row: IndicatorValue) -> tuple[str, str | None]:
    """Where a value belongs: its date (ISO) and organisation key (None: the whole region)."""
    return row.measured_on.isoformat(), row.organisation.key if row.organisation else None


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


def _finish(actor: User, action: str, indicator: Indicator, before: dict,
            where: IndicatorValue | tuple[str, str | None]) -> None:
    """Record the change with the indicator before and after, and commit."""
    db.session.flush()
    on, organisation = _place(where) if isinstance(where, IndicatorValue) else where
    db.session.refresh(indicator, ["values"])
    record(actor, action, "indicator", indicator.key, before=before, after=snapshot(indicator),
           data={"date": on, "organisation": organisation})
    db.session.commit()
