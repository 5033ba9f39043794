"""Pages of indicators: values over time as a chart and a table, and keeping them up to date."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.permissions import can_edit_register
from portal.directory.queries import organisation_choices
from portal.extensions import db, derived
from portal.indicators import services
from portal.indicators.arithmetic import per_organisation, summarise
from portal.indicators.chart import line_chart
from portal.indicators.forms import ChangeValueForm, RemoveValueForm, ValueForm
from portal.models import Indicator, IndicatorValue
from portal.views import get_by_key, render, table_change

bp = Blueprint("indicators", __name__)


@bp.get("/indikatorer")
def index():
    """List the indicators with their latest value and target (the same for everyone:
    rendered once per version of the map and language)."""
    def content() -> str:
        indicators = db.session.scalars(
            select(Indicator)
            .options(selectinload(Indicator.values), selectinload(Indicator.areas))
            .order_by(Indicator.name)
        ).all()
        rows = [(i, summarise([(v.measured_on, v.value) for v in i.values
                               if v.organisation_id is None], i.target))
                for i in indicators]
        return render_template("indicators/_index.html", rows=rows)

    return render_template("indicators/index.html",
                           content=derived.html("indicator-list", render=content))


@bp.get("/indikatorer/<key>")
def detail(key: str):
    """Show one indicator's values over time against its target, as a chart and a table."""
    obj = get_by_key(Indicator, key,
                     selectinload(Indicator.values).selectinload(IndicatorValue.organisation),
                     selectinload(Indicator.areas))
    values = [(v.measured_on, v.value) for v in obj.values if v.organisation is None]
    sort = request.args.get("sort", "name")
    sort = sort if sort in ("name", "latest", "change") else "name"
    descending = request.args.get("order") == "desc"
    rows = per_organisation(
        [(v.organisation.key, v.organisation.name, v.measured_on, v.value)
         for v in obj.values if v.organisation is not None],
        obj.higher_is_better, sort, descending)
    return render_template("indicators/detail.html", indicator=obj,
                           summary=summarise(values, obj.target),
                           region_values=[v for v in obj.values if v.organisation is None],
                           chart=line_chart(values, obj.target) if values else None,
                           org_rows=rows, sort=sort, descending=descending,
                           points=obj.unit == "%")


@bp.get("/indikatorer/<key>/varden")
def values(key: str):
    """The values of an indicator, to add, correct or remove (admins)."""
    indicator = _editable(key)
    return _values_page(indicator, ValueForm())


@bp.post("/indikatorer/<key>/varden")
def value_add(key: str):
    """Add a value measured on a date."""
    indicator = _editable(key)
    form = ValueForm()
    return _value_change(indicator, form, lambda: services.add_value(
        current_user, indicator, form.date.data, form.value.data, form.organisation.data))


@bp.post("/indikatorer/<key>/varden/<on>")
def value_change(key: str, on: str):
    """Correct the value measured on a date (`?organisation=` names the organisation's value;
    without it, the whole region's)."""
    indicator, row = _value(key, on)
    form = ChangeValueForm()
    return _value_change(indicator, form, lambda: services.change_value(
        current_user, row, form.value.data), row=_row_name(row))


@bp.post("/indikatorer/<key>/varden/<on>/ta-bort")
def value_remove(key: str, on: str):
    """Remove a value entered by mistake (`?organisation=` as for a correction)."""
    indicator, row = _value(key, on)
    return _value_change(indicator, RemoveValueForm(),
                         lambda: services.remove_value(current_user, row), row=_row_name(row))


def _editable(key: str) -> Indicator:
    """The indicator, for an admin.

    :raise 403: for anyone else; 404 when there is no such indicator.
    """
    if not can_edit_register(current_user):
        abort(403)
    return get_by_key(Indicator, key,
                      selectinload(Indicator.values).selectinload(IndicatorValue.organisation))


def _value(key: str, on: str) -> tuple[Indicator, IndicatorValue]:
    """The indicator and its value on a date (YYYY-MM-DD in the address) for the organisation
    the query names (`?organisation=<key>`; none: the whole region).

    :raise 404: when there is no such value.
    """
    indicator = _editable(key)
    try:
        day = date.fromisoformat(on)
    except ValueError:
        abort(404)
    organisation = request.args.get("organisation") or None
    row = next((v for v in indicator.values if v.measured_on == day
                and (v.organisation.key if v.organisation else None) == organisation), None)
    if row is None:
        abort(404)
    return indicator, row


def _value_change(indicator: Indicator, form, change, row: str | None = None):
    """Apply a change of values; answer with the values page, or htmx with its panel."""
    return table_change(
        form, change, row, blank_form=lambda: ValueForm(formdata=None),
        page=lambda add_form, **context: _values_page(indicator, add_form, **context),
        done=_("The values were updated."),
        target=url_for("indicators.values", key=indicator.key),
    )


def _row_name(row: IndicatorValue) -> str:
    """A value's row as the errors above the table name it: its organisation and date."""
    where = row.organisation.name if row.organisation else _("the whole region")
    return f"{where}, {row.measured_on.isoformat()}"


def _values_page(indicator: Indicator, form: ValueForm, **context):
    """The values page (or its panel for htmx): the region's values first, then each
    organisation's, by name and date."""
    db.session.refresh(indicator, ["values"])
    form.set_choices(organisation_choices())
    rows = sorted(indicator.values, key=lambda v: (
        v.organisation is not None, v.organisation.name if v.organisation else "",
        v.measured_on))
    return render("indicators/values.html", "indicators/_values.html",
                  indicator=indicator, form=form, rows=rows, **context)
