"""The form for the analysis thresholds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange


class LocalDecimalField(DecimalField):
    """A decimal number written with a comma (Swedish, `0,5`) or a point (`0.5`)."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])


class SettingsForm(FlaskForm):
    """The two thresholds of analysis.md."""

    parallel_min_overlap = LocalDecimalField(
        _l("Smallest share of shared members for a parallel structure (0–1)"),
        places=None,
        validators=[InputRequired(), NumberRange(min=0.01, max=1)],
    )
    overload_min_forums = IntegerField(
        _l("Number of forums from which a person counts as overloaded"),
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
    )
