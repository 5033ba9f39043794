"""Forms of the meeting cycle; the services check the rules and name the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from portal.forms import InDateRange
from portal.meetings.services import Plan

CADENCE_CHOICES = [
    SelectChoice("once", _l("One meeting")),
    SelectChoice("weekly", _l("Every N weeks")),
    SelectChoice("monthly_weekday", _l("Monthly, on the same weekday of the month")),
    SelectChoice("quarterly", _l("Quarterly, on the same weekday of the month")),
]
NTH_CHOICES = [
    SelectChoice("", _l("As the first date")), SelectChoice("1", _l("First")),
    SelectChoice("2", _l("Second")), SelectChoice("3", _l("Third")),
    SelectChoice("4", _l("Fourth")), SelectChoice("-1", _l("Last")),
]


class MoveForm(FlaskForm):
    """When and where one meeting is held."""

    first = DateField(_l("Date"), validators=[Optional(), InDateRange()])
    start = TimeField(_l("Starts at"), validators=[Optional()])
    duration = IntegerField(_l("Duration (minutes)"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=500)])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=500)])

    def plan(self) -> Plan:
        return Plan(first=self.first.data, start=self.start.data, duration=self.duration.data,
                    place=self.place.data, title=self.title.data)

    def fill_from(self, meeting) -> None:
        self.first.data, self.start.data = meeting.meets_on, meeting.start_time
        self.duration.data, self.place.data = meeting.duration, meeting.place
        self.title.data = meeting.title


class PlanForm(MoveForm):
    """One meeting, or a series from a cadence."""

    first = DateField(_l("Date of the (first) meeting"), validators=[Optional(), InDateRange()])
    cadence = SelectField(_l("How often"), choices=CADENCE_CHOICES, default="once")
    interval = IntegerField(_l("Every how many weeks or months"), default=1,
                            validators=[Optional()])
    nth = SelectField(_l("Which weekday of the month"), choices=NTH_CHOICES, default="")
    until = DateField(_l("Last date of the series"), validators=[Optional(), InDateRange()])
    count = IntegerField(_l("Or: number of meetings"), validators=[Optional()])

    def plan(self) -> Plan:
        return Plan(
            first=self.first.data, cadence=self.cadence.data, interval=self.interval.data or 1,
            nth=int(self.nth.data) if self.nth.data else None, until=self.until.data,
            count=self.count.data, start=self.start.data, duration=self.duration.data,
            place=self.place.data, title=self.title.data)


class ItemForm(FlaskForm):
    """An agenda item: a title, notes and what it is about."""

    title = StringField(_l("Item"), validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), Length(max=20000)])
    link = SelectField(_l("About (optional)"), validate_choice=False, default="")


class OpenForm(FlaskForm):
    """Opening the meeting: the approvers of the minutes."""

    approvers = SelectMultipleField(_l("Approvers of the minutes (justerare)"),
                                    validate_choice=False)


class EmptyForm(FlaskForm):
    """A button that only needs its CSRF token."""
