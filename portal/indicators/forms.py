"""Forms for indicator values."""

from __future__ import annotations

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FloatField, SelectField
from wtforms.validators import DataRequired, InputRequired

from portal.forms import InDateRange


class LocalFloatField(FloatField):
    """A number as people write it in their language: `56 470` and `4,5` in Swedish."""

    def process_formdata(self, valuelist):
        """Read the number with the user's separators, else as a plain decimal number."""
        if not valuelist or not valuelist[0].strip():
            super().process_formdata(valuelist)
            return
        # Spaces only ever group digits, and a typographic minus is still a minus.
        text = "".join(valuelist[0].split()).replace("\u2212", "-")
        try:
            self.data = float(parse_decimal(text, locale=str(get_locale()), strict=True))
        except NumberFormatError:
            super().process_formdata([text])


class ValueForm(FlaskForm):
    """A value measured on a date, for the whole region or for one organisation."""

    organisation = SelectField(
        _l("Organisation"), default="", validate_choice=False,
        description=_l("Leave it at the whole region for a value of the region as a whole."))
    date = DateField(_l("Date measured"), validators=[DataRequired(), InDateRange()])
    value = LocalFloatField(_l("Value"), validators=[InputRequired()])

    def set_choices(self, organisations: list[tuple[str, str]]) -> None:
        """Offer the whole region first, then each organisation (key, name)."""
        self.organisation.choices = [("", _l("The whole region")), *organisations]


class ChangeValueForm(FlaskForm):
    """A corrected value for a date already measured."""

    value = LocalFloatField(_l("Value"), validators=[InputRequired()])


class RemoveValueForm(FlaskForm):
    """Removing a value asks nothing but the CSRF token."""
