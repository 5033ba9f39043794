"""The upload form for imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ImportForm(FlaskForm):
    """One `samverkan/1` JSON file."""

    document = FileField(_l("File (samverkan/1, JSON)"), validators=[FileRequired()])
