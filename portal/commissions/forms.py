"""Forms of the commission lead: milestones, actions, recommendations, status and risks.

Forms that can appear several times on one page get a prefix from the object's key, so that
every field id on the page is unique.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from portal.audit.snapshot import snapshot
from portal.commissions.services import TEXT_MAX, TITLE_MAX
from portal.dates import today
from portal.exchange.importer import jsonable
from portal.extensions import db
from portal.forms import InDateRange
from portal.labels import LABELS
from portal.models import Area, Forum, Organisation, Person, Recommendation
from portal.models.commission import ACTION_STATUSES
from portal.models.followup import RISK_STATUSES, STATUS_LIGHTS

NOBODY = ("", "–")
SNAPSHOT_NAMES = {"due_on": "due"}
BAD_DATE = _l("Enter a real date, such as 2025-10-31.")
LIKELIHOOD = {1: _l("1 – very unlikely"), 2: _l("2 – unlikely"), 3: _l("3 – possible"),
              4: _l("4 – likely"), 5: _l("5 – very likely")}
CONSEQUENCE = {1: _l("1 – very small"), 2: _l("2 – small"), 3: _l("3 – noticeable"),
               4: _l("4 – serious"), 5: _l("5 – very serious")}


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes, which keyboards and screen readers handle."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs) -> list[SelectChoice]:
    """Choices of a select list (WTForms no longer takes plain pairs)."""
    return [SelectChoice(value, text) for value, text in pairs]


def _labelled(group: str, values: tuple[str, ...]) -> list[SelectChoice]:
    return options((v, LABELS[group][v]) for v in values)


def person_choices() -> list[SelectChoice]:
    """Everyone who may own something, as `Name (organisation)`."""
    rows = db.session.execute(
        select(Person.key, Person.name, Organisation.name)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .order_by(Person.name)
    )
    return options([NOBODY, *((key, f"{name} ({org})") for key, name, org in rows)])


def forum_choices() -> list[SelectChoice]:
    """Every forum, by name."""
    rows = db.session.execute(select(Forum.key, Forum.name).order_by(Forum.name))
    return options([NOBODY, *rows])


def area_choices() -> list[tuple[str, str]]:
    """Every focus area, by name, as pairs (the checkbox macro takes pairs)."""
    return [(key, name) for key, name in
            db.session.execute(select(Area.key, Area.name).order_by(Area.name))]


def recommendation_choices() -> list[SelectChoice]:
    """Every recommendation, shortened to fit a list."""
    rows = db.session.execute(select(Recommendation.key, Recommendation.text)
                              .order_by(Recommendation.key))
    return options([NOBODY, *((k, t if len(t) <= 110 else t[:109] + "…") for k, t in rows)])


class VersionField(HiddenField):
    """The version a form was opened at: only ever what was sent, never the stored one.

    A field left out of a submitted form would otherwise keep the object's current version
    and so pass the check against lost edits; without it the service refuses the write (422).
    """

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else None


class EditForm(FlaskForm):
    """A form that edits one stored object and carries the version it was opened at."""

    version = VersionField()

    def values(self) -> dict[str, Any]:
        """The submitted values as the service takes them (empty choices are None)."""
        return {name: (field.data if field.data != "" else None)
                for name, field in self._fields.items()
                if name not in ("version", "csrf_token")}

    def as_snapshot(self) -> dict[str, Any]:
        """The submitted values shaped like the audit snapshot, to compare with what is stored."""
        values = {SNAPSHOT_NAMES.get(k, k): v for k, v in self.values().items()}
        if isinstance(values.get("areas"), list):
            values["areas"] = sorted(values["areas"])
        return jsonable(values)


class MilestoneForm(EditForm):
    """Mark a milestone reached on a date, or send an empty date to un-reach it."""

    done_on = DateField(_l("Reached on"), validators=[Optional(), InDateRange()],
                        invalid_value_message=BAD_DATE)

    @classmethod
    def for_milestone(cls, milestone, **kwargs) -> MilestoneForm:
        """The form of one milestone, with a prefix of its own."""
        return cls(prefix=f"ms-{milestone.key}",
                   data={"version": milestone.version, "done_on": milestone.done_on or today()},
                   **kwargs)


class ActionForm(EditForm):
    """Create or change an action."""

    title = TextAreaField(_l("Action"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    status = SelectField(_l("Status"), choices=_labelled("action_status", ACTION_STATUSES),
                         default="planned")
    progress = IntegerField(_l("Progress (%)"), validators=[InputRequired(), NumberRange(0, 100)],
                            widget=NumberInput(min=0, max=100, step=5), default=0)
    due_on = DateField(_l("Due"), validators=[Optional(), InDateRange()],
                       invalid_value_message=BAD_DATE)
    owner_person = SelectField(_l("Owner (person)"), default="")
    owner_forum = SelectField(_l("Owner (forum)"), default="")
    recommendation = SelectField(_l("Realises recommendation"), default="")
    areas = CheckboxesField(_l("Focus areas"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_person.choices = person_choices()
        self.owner_forum.choices = forum_choices()
        self.recommendation.choices = recommendation_choices()
        self.areas.choices = area_choices()

    @classmethod
    def for_action(cls, action, **kwargs) -> ActionForm:
        """The edit form of one action, filled with its stored values."""
        snap = snapshot(action)
        data = {"title": action.title, "status": action.status, "progress": action.progress,
                "due_on": action.due_on, "owner_person": snap["owner_person"] or "",
                "owner_forum": snap["owner_forum"] or "",
                "recommendation": snap["recommendation"] or "", "areas": snap["areas"],
                "version": action.version}
        return cls(prefix=f"action-{action.key}", data=data, **kwargs)


class RecommendationForm(EditForm):
    """Create or change a recommendation."""

    text = TextAreaField(_l("Recommendation"), validators=[InputRequired(), Length(max=TEXT_MAX)])
    areas = CheckboxesField(_l("Focus areas"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas.choices = area_choices()

    @classmethod
    def for_recommendation(cls, rec, **kwargs) -> RecommendationForm:
        """The edit form of one recommendation."""
        data = {"text": rec.text, "areas": sorted(a.key for a in rec.areas),
                "version": rec.version}
        return cls(data=data, **kwargs)


class StatusReportForm(FlaskForm):
    """A new status report: a date, a traffic light and a comment."""

    reported_on = DateField(_l("Report date"), validators=[InputRequired(), InDateRange()],
                            invalid_value_message=BAD_DATE)
    light = RadioField(_l("How is the commission doing?"),
                       choices=_labelled("status_light", STATUS_LIGHTS),
                       validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[InputRequired(), Length(max=TEXT_MAX)])

    def values(self) -> dict[str, Any]:
        """The submitted values as the service takes them."""
        return {"reported_on": self.reported_on.data, "light": self.light.data,
                "comment": self.comment.data}


class RiskForm(EditForm):
    """Add or change a risk in the register."""

    title = TextAreaField(_l("Risk"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    likelihood = SelectField(_l("Likelihood"), coerce=int, choices=options(LIKELIHOOD.items()),
                             default=3)
    consequence = SelectField(_l("Consequence"), coerce=int, choices=options(CONSEQUENCE.items()),
                              default=3)
    owner_person = SelectField(_l("Owner (person)"), default="")
    mitigation = TextAreaField(_l("Mitigation"), validators=[Length(max=TEXT_MAX)])
    status = SelectField(_l("Status"), choices=_labelled("risk_status", RISK_STATUSES),
                         default="open")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_person.choices = person_choices()

    @classmethod
    def for_risk(cls, risk, **kwargs) -> RiskForm:
        """The edit form of one risk."""
        data = {"title": risk.title, "likelihood": risk.likelihood,
                "consequence": risk.consequence, "mitigation": risk.mitigation,
                "owner_person": risk.owner_person.key if risk.owner_person else "",
                "status": risk.status, "version": risk.version}
        return cls(prefix=f"risk-{risk.id}", data=data, **kwargs)


class DecidedByForm(EditForm):
    """The final decisions that took a decision point, and whether it is reached by them."""

    decisions = SelectMultipleField(_l("Decisions that took the decision point"),
                                    validate_choice=False)
    reach = BooleanField(_l("Mark the milestone reached on the latest decision's date"))

    @classmethod
    def for_milestone(cls, milestone, **kwargs) -> DecidedByForm:
        """The form as the milestone is now."""
        return cls(data={"version": milestone.version,
                         "decisions": [d.key for d in milestone.decided_by
                                       if d.status == "final"]}, **kwargs)

    def as_snapshot(self) -> dict[str, Any]:
        """The chosen decisions as the milestone's snapshot names them."""
        return {"decided_by": sorted(self.decisions.data or [])}
