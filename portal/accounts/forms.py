"""Forms for managing accounts and one's own password and notifications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from portal.models.account import ROLES


class InviteForm(FlaskForm):
    """Invite a person: address, role, the person in the register."""

    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=320)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, r) for r in ROLES],
                       default="viewer")
    person = StringField(_l("Person in the register (key)"),
                         validators=[Optional(), Length(max=64)])
    language = SelectField(_l("Language of the invitation"),
                           choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")],
                           default="sv")


class UserForm(FlaskForm):
    """An account's role and the person in the register it belongs to."""

    role = SelectField(_l("Role"), choices=[SelectChoice(r, r) for r in ROLES])
    person = StringField(_l("Person in the register (key)"),
                         validators=[Optional(), Length(max=64)])


class ChangePasswordForm(FlaskForm):
    """One's own password: the current one and the new one twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class SetPasswordForm(FlaskForm):
    """A password chosen through an invitation or reset link."""

    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=320)])
