"""The document form: the fields of a `documents[]` entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.directory.forms import EntryForm, _choices, key_field
from portal.exchange.schema import DOCUMENT_KINDS, LONG_TEXT, SHORT_TEXT
from portal.forms import InDateRange


class DocumentForm(EntryForm):
    """A document: title, kind, date, owner, the document it implements, areas, summary, url."""

    key = key_field()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=SHORT_TEXT)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    date = DateField(_l("Date"), validators=[Optional(), InDateRange()])
    owner = SelectField(_l("Owner"), validate_choice=False,
                        description=_l("The body that owns or adopted the document."))
    parent = SelectField(_l("Implements"), validate_choice=False,
                         description=_l("The document it makes concrete, e.g. an action plan "
                                        "under the joint plan under the road map."))
    areas = SelectMultipleField(_l("Focus areas"), validate_choice=False)
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=LONG_TEXT)],
                            description=_l("For a short shared definition, the text itself."))
    url = StringField(_l("Address (https://)"), validators=[Optional(), Length(max=SHORT_TEXT)],
                      description=_l("Where the published document can be read."))

    def set_choices(self, forums, documents, areas) -> None:
        """Offer the kinds, the forums, the documents it may implement and the areas."""
        self.kind.choices = _choices("document_kind", DOCUMENT_KINDS)
        self.owner.choices = [("", _l("– no owner recorded –")), *forums]
        self.parent.choices = [("", _l("– at the top –")), *documents]
        self.areas.choices = areas
