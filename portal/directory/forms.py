"""Forms of the register: organisations, people, focus areas, forums and their members.

Field names are the exchange format's, so a service's refusal lands next to the right field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.exchange.schema import (
    FORUM_KINDS,
    FORUM_LEVELS,
    KEY_LENGTH,
    LONG_TEXT,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    SHORT_TEXT,
)
from portal.forms import InDateRange
from portal.labels import label

KEY_HINT = _l("Used in links and in exchange files. Letters A–Z, digits, _ . or -. "
              "Leave empty to make one from the name. It cannot be changed later.")


def _choices(group: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Enum values with their words in the user's language."""
    return [(value, label(group, value)) for value in values]


class EntryForm(FlaskForm):
    """A form whose fields (but the key on edit) are the fields of an exchange entry."""

    def entry(self) -> dict:
        """The form as an exchange entry (dates as dates, empty text as None)."""
        return {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "closed_on")}

    def without_key(self) -> EntryForm:
        """The form for editing: the key is fixed once created."""
        del self.key
        return self


def key_field() -> StringField:
    """The optional key of a new entity."""
    return StringField(_l("Key"), description=KEY_HINT,
                       validators=[Optional(), Length(max=KEY_LENGTH)])


class OrganisationForm(EntryForm):
    """An organisation: name, kind, the organisation it is part of, and whether a principal."""

    key = key_field()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=SHORT_TEXT)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    parent = SelectField(_l("Part of"), validate_choice=False,
                         description=_l("For example a health centre within a local health-care "
                                        "area. An organisation cannot be part of itself."))
    principal = BooleanField(_l("Principal (huvudman): must be represented in every covered "
                                "focus area"))

    def set_choices(self, organisations) -> None:
        """Offer the kinds and the organisations it may be part of."""
        self.kind.choices = _choices("organisation_kind", ORGANISATION_KINDS)
        self.parent.choices = [("", _l("– not part of another –")), *organisations]


class PersonForm(EntryForm):
    """A person: name, organisation, title and email."""

    key = key_field()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=SHORT_TEXT)])
    organisation = SelectField(_l("Organisation"), validate_choice=False,
                               validators=[DataRequired()],
                               description=_l("The employer or body the person represents."))
    title = StringField(_l("Title"), validators=[Optional(), Length(max=LONG_TEXT)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=320)])

    def set_choices(self, organisations) -> None:
        """Offer the organisations."""
        self.organisation.choices = [("", _l("– choose –")), *organisations]


class AreaForm(EntryForm):
    """A focus area: name and description."""

    key = key_field()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=SHORT_TEXT)])
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), Length(max=LONG_TEXT)])


class ForumForm(EntryForm):
    """A forum: what it is, what it is for, to whom it reports, and whether it is closed."""

    key = key_field()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=SHORT_TEXT)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    level = SelectField(_l("Level"), validators=[DataRequired()])
    apex = BooleanField(_l("Top body: its reporting line ends here by design"))
    reports_to = SelectField(_l("Reports to"), validate_choice=False)
    areas = SelectMultipleField(_l("Focus areas it has a mandate for"), validate_choice=False)
    scope = SelectMultipleField(_l("Serves the population of"), validate_choice=False,
                                description=_l("The municipalities a local forum serves; none "
                                               "chosen means not limited. Informative only."))
    mandate = TextAreaField(_l("Mandate"), validators=[Optional(), Length(max=LONG_TEXT)])
    meets = StringField(_l("Meets"), description=_l("For example: monthly"),
                        validators=[Optional(), Length(max=LONG_TEXT)])
    closed_on = DateField(_l("Closed on"), validators=[Optional(), InDateRange()],
                          description=_l("Set when the forum stops meeting. Its members, "
                                         "decisions and actions are kept."))

    def set_choices(self, forums, organisations=()) -> None:
        """Offer the kinds, levels, forums it may report to and organisations it may serve."""
        self.scope.choices = list(organisations)
        self.kind.choices = _choices("forum_kind", FORUM_KINDS)
        self.level.choices = _choices("forum_level", FORUM_LEVELS)
        self.reports_to.choices = [("", _l("– no reporting line –")), *forums]


class MemberForm(FlaskForm):
    """A new seat: a person and a role."""

    person = SelectField(_l("Person"), validate_choice=False, validators=[DataRequired()])
    role = SelectField(_l("Role"), validators=[DataRequired()], default="member")
    on_behalf_of = SelectMultipleField(
        _l("Also represents"), validate_choice=False,
        description=_l("Organisations the person speaks for in this forum besides their own, "
                       "e.g. one representative appointed for several municipalities."))

    def set_choices(self, people, organisations=()) -> None:
        """Offer the people, the roles and the organisations a member may represent."""
        self.on_behalf_of.choices = list(organisations)
        self.person.choices = [("", _l("– choose a person –")), *people]
        self.role.choices = _choices("member_role", MEMBER_ROLES)


class RoleForm(FlaskForm):
    """A member's new role."""

    role = SelectField(_l("Role"), validators=[DataRequired()],
                       choices=lambda: _choices("member_role", MEMBER_ROLES))


class RepresentsForm(FlaskForm):
    """The organisations a member represents besides their own."""

    on_behalf_of = SelectMultipleField(_l("Also represents"), validate_choice=False)


class EndMembershipForm(FlaskForm):
    """The day a seat ended."""

    ended_on = DateField(_l("Ended on"), validators=[Optional(), InDateRange()])
