"""The confirmation asked before a person is pseudonymised."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class PseudonymiseForm(FlaskForm):
    """One checkbox that must be ticked: it cannot be undone."""

    confirm = BooleanField(
        _l("I understand that the person's name, title and e-mail address are removed for good"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
