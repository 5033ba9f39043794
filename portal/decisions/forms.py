"""Forms of the decision log: a decision, the actions it creates, and a correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from portal.decisions.services import DecisionData, NewAction, proposals_as_new_actions
from portal.forms import InDateRange

MAX_NEW_ACTIONS = 10


class NewActionForm(Form):
    """One action the decision creates (a sub-form: the outer form carries the CSRF token)."""

    title = StringField(_l("What is to be done"))
    owner_person = SelectField(_l("Owner (person)"), validate_choice=False)
    owner_forum = SelectField(_l("Owner (forum)"), validate_choice=False)
    due = DateField(_l("Due date"), validators=[Optional(), InDateRange()])
    areas = SelectMultipleField(_l("Focus areas"), validate_choice=False)


class DecisionForm(FlaskForm):
    """A decision: when, what, its text, the documents it rests on and the actions it links
    to or creates.

    Required fields and lengths are left to the service, which checks them as the import
    does, so that one answer lists every problem at once.
    """

    date = DateField(_l("Date of the decision"), validators=[Optional(), InDateRange()])
    title = StringField(_l("Title"))
    text = TextAreaField(_l("Decision text"))
    documents = SelectMultipleField(_l("Documents the decision adopts or rests on"),
                                    validate_choice=False)
    actions = SelectMultipleField(_l("Existing actions"), validate_choice=False)
    action_q = StringField(_l("Find actions by title or key"),
                           validators=[Optional(), Length(max=200)])
    new_actions = FieldList(FormField(NewActionForm), min_entries=1, max_entries=MAX_NEW_ACTIONS)

    def set_choices(self, people, forums) -> None:
        """Offer people and forums as owners of new actions."""
        for entry in self.new_actions:
            entry.form.owner_person.choices = [("", _l("– no person –")), *people]
            entry.form.owner_forum.choices = [("", _l("– no forum –")), *forums]

    def data_for_service(self) -> DecisionData:
        """The form as the service's plain data."""
        return DecisionData(
            title=self.title.data, date=self.date.data, text=self.text.data,
            actions=list(self.actions.data or []),
            documents=list(self.documents.data or []),
            new_actions=[
                NewAction(title=e.form.title.data, owner_person=e.form.owner_person.data,
                          owner_forum=e.form.owner_forum.data, due=e.form.due.data,
                          areas=list(e.form.areas.data or []))
                for e in self.new_actions
            ],
        )

    def fill_from(self, decision) -> None:
        """Start from a stored decision (editing a draft, or correcting a final one)."""
        self.date.data, self.title.data, self.text.data = (
            decision.decided_on, decision.title, decision.text)
        self.actions.data = [a.key for a in decision.actions]
        self.documents.data = [d.key for d in decision.documents]
        self.fill_proposals(decision)

    def fill_proposals(self, decision) -> None:
        """Show a draft's proposed actions as the new-action rows, to change or keep."""
        proposed = proposals_as_new_actions(decision)[:MAX_NEW_ACTIONS]
        while len(self.new_actions) < len(proposed):
            self.new_actions.append_entry()
        for entry, item in zip(self.new_actions, proposed, strict=False):
            entry.form.title.data, entry.form.due.data = item.title, item.due
            entry.form.owner_person.data = item.owner_person or ""
            entry.form.owner_forum.data = item.owner_forum or ""
            entry.form.areas.data = list(item.areas)


class CorrectionForm(DecisionForm):
    """A new version of a final decision, with the reason for the correction."""

    reason = TextAreaField(_l("Why is the decision corrected?"))
