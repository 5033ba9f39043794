"""The upload form for imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired


class ImportForm(FlaskForm):
    """One `samverkan/1` JSON file."""

    document = FileField(_l("File (samverkan/1, JSON)"), validators=[FileRequired()])


class SpreadsheetForm(FlaskForm):
    """People or forum memberships in an .xlsx workbook or a CSV file."""

    sheet = FileField(_l("File (.xlsx or .csv)"), validators=[FileRequired()])
    kind = SelectField(_l("A CSV file holds"), default="people", choices=[
        SelectChoice("people", _l("People")),
        SelectChoice("memberships", _l("Forum memberships")),
        SelectChoice("values", _l("Indicator values"))])


class ConfirmSpreadsheetForm(FlaskForm):
    """Confirms the import of a previewed spreadsheet, named by a signed token."""

    token = HiddenField(validators=[DataRequired()])


class ConfirmImportForm(FlaskForm):
    """Confirms the import of a previewed samverkan/1 file, named by a signed token."""

    token = HiddenField(validators=[DataRequired()])
