"""The Användare pages (admins), one's own password, and the one-time links."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.accounts import services
from portal.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    SetPasswordForm,
    UserForm,
)
from portal.audit.events import recent_events
from portal.auth import throttle
from portal.auth.passwords import MIN_LENGTH
from portal.auth.permissions import can_administer
from portal.auth.services import AccountError, _hash_token
from portal.entries import EntryError
from portal.extensions import db
from portal.labels import label
from portal.mail import MailError
from portal.models import AuditEntry, Person, User
from portal.models.base import utcnow
from portal.views import submit

bp = Blueprint("accounts", __name__)


def password_messages(detail: str) -> list[str]:
    """Klarspråk for each password rule broken."""
    texts = {
        "too_short": _("The password must be at least %(num)d characters long.", num=MIN_LENGTH),
        "too_long": _("The password may be at most 128 characters long."),
        "too_common": _("The password is one of the most common passwords. Choose another."),
        "contains_email": _("The password must not contain your email address."),
    }
    return [texts.get(code, code) for code in detail.split(",") if code]


def _link_message(code: str) -> str:
    return {
        "link_used": _("This link has already been used. Ask for a new one."),
        "link_expired": _("This link has expired. Ask for a new one."),
    }.get(code, _("This link does not work. Check that you copied all of it, or ask for a "
                  "new one."))


def _link_status(code: str) -> int:
    """410 for a link that was used or has expired, 404 for one that never was."""
    return 410 if code in ("link_used", "link_expired") else 404


def _require_admin() -> None:
    if not can_administer(current_user):
        abort(403)


def _role_choices(form) -> None:
    form.role.choices = [SelectChoice(r, label("role", r)) for r in services.ROLES]


def _person(key: str | None) -> Person | None:
    """The person named by key, None for no key.

    :raise EntryError: when the register has no person with that key.
    """
    key = (key or "").strip()
    if not key:
        return None
    person = db.session.scalar(select(Person).where(Person.key == key))
    if person is None:
        raise EntryError({"person": _('No person in the register has the key "%(key)s".',
                                      key=key)})
    return person


# --- Användare (admins) ------------------------------------------------------------------


def _history_texts() -> dict[str, str]:
    """What each audit action on an account means, for its history."""
    return {
        "create": _("Account created"),
        "invite": _("Invitation sent"),
        "update": _("Account changed"),
        "login": _("Signed in"),
        "login_failed": _("Sign-in refused"),
        "logout": _("Signed out"),
        "password_set": _("Password chosen through a link"),
        "password_changed": _("Password changed"),
        "password_reset_requested": _("Reset link asked for"),
        "sign_out_everywhere": _("Signed out everywhere"),
    }


@bp.get("/anvandare")
def users():
    """All accounts, searchable by address or name."""
    _require_admin()
    query = request.args.get("q", "")
    return render_template("accounts/users.html", users=services.search_users(query),
                           query=query, events=recent_events(utcnow() - timedelta(days=1)),
                           retention_days=current_app.config["SECURITY_EVENT_RETENTION_DAYS"])


@bp.route("/anvandare/bjud-in", methods=["GET", "POST"])
def invite():
    """Invite a person by email to set a password (the link is valid 72 hours)."""
    _require_admin()
    form = InviteForm()
    _role_choices(form)
    if request.method == "GET":
        form.language.data = str(get_locale())
    try:
        answer = submit(form, lambda: services.invite(
            current_user, form.email.data, form.role.data, _person(form.person.data),
            form.language.data), refusal=(AccountError, lambda exc: {"email": _invite_error(exc)}))
    except MailError:
        flash(_("The account was created, but the invitation could not be sent. "
                "Send it again from the account's page."), "error")
        return redirect(url_for(".users"))
    if answer.done:
        flash(_("An invitation was sent to %(email)s.", email=answer.result.email), "info")
        return redirect(url_for(".users"))
    return render_template("accounts/invite.html", form=form), answer.status


def _invite_error(exc: AccountError) -> str:
    if exc.code == "email_taken":
        return _("There is already an account with this address.")
    return _("This is not a valid email address: %(detail)s", detail=exc.detail)


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    """One account: role, person, state, sessions and its history."""
    _require_admin()
    account = db.get_or_404(User, user_id)
    form = UserForm(obj=None)
    _role_choices(form)
    if request.method == "GET":
        form.role.data = account.role
        form.person.data = account.person.key if account.person else ""
    answer = submit(form, lambda: services.update_user(
        current_user, account, form.role.data, _person(form.person.data)),
        refusal=(AccountError, lambda _exc: {
            "role": _("You cannot take the administrator role from yourself.")}))
    if answer.done:
        flash(_("The account was saved."), "info")
        return redirect(url_for(".user", user_id=account.id))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "user",
                                 AuditEntry.entity_key == str(account.id))
        .order_by(AuditEntry.id.desc()).limit(20)
    ).all()
    retention = current_app.config["SECURITY_EVENT_RETENTION_DAYS"]
    events = recent_events(utcnow() - timedelta(days=retention), source=account.email)
    return render_template("accounts/user.html", account=account, form=form,
                           history=history, texts=_history_texts(), events=events,
                           retention_days=retention), answer.status


@bp.post("/anvandare/<int:user_id>/aktivera")
def enable(user_id: int):
    """Enable an account."""
    return _set_enabled(user_id, True)


@bp.post("/anvandare/<int:user_id>/inaktivera")
def disable(user_id: int):
    """Disable an account (its sessions end)."""
    return _set_enabled(user_id, False)


def _set_enabled(user_id: int, enabled: bool):
    _require_admin()
    account = db.get_or_404(User, user_id)
    try:
        services.set_enabled(current_user, account, enabled)
    except AccountError:
        flash(_("You cannot disable your own account."), "error")
    else:
        flash(_("The account is enabled.") if account.is_enabled
              else _("The account is disabled and signed out everywhere."), "info")
    return redirect(url_for(".user", user_id=account.id))


@bp.post("/anvandare/<int:user_id>/logga-ut")
def sign_out_everywhere(user_id: int):
    """End every session of the account."""
    _require_admin()
    account = db.get_or_404(User, user_id)
    ended = services.sign_out_everywhere(current_user, account)
    flash(ngettext("%(num)d session was ended.", "%(num)d sessions were ended.", ended), "info")
    if account.id == current_user.id:
        return redirect(url_for("auth.login"))
    return redirect(url_for(".user", user_id=account.id))


@bp.post("/anvandare/<int:user_id>/bjud-in-igen")
def reinvite(user_id: int):
    """Send a new invitation link."""
    _require_admin()
    account = db.get_or_404(User, user_id)
    try:
        services.reinvite(current_user, account)
    except MailError:
        flash(_("The invitation could not be sent. Try again later."), "error")
    else:
        flash(_("An invitation was sent to %(email)s.", email=account.email), "info")
    return redirect(url_for(".user", user_id=account.id))


# --- one's own password ------------------------------------------------------------------


@bp.route("/konto/losenord", methods=["GET", "POST"])
def change_password():
    """Change one's own password; the other sessions end."""
    form = ChangePasswordForm()
    if current_user.password_hash is None:
        return render_template("accounts/change_password.html", form=None)
    sid = session.get("sid")
    answer = submit(form, lambda: services.change_password(
        current_user, form.current.data, form.new.data, _hash_token(sid) if sid else None),
        refusal=(AccountError, _password_refusal))
    if answer.done:
        flash(_("Your password was changed. You were signed out everywhere else."), "info")
        return redirect(url_for("dashboard.index"))
    return render_template("accounts/change_password.html", form=form), answer.status


def _password_refusal(exc: AccountError) -> dict[str, str | list[str]]:
    """A refused password at its field: the current one wrong, or the new one too weak."""
    if exc.code == "wrong_password":
        return {"current": _("The current password is wrong.")}
    return {"new": password_messages(exc.detail)}


@bp.route("/konto/glomt-losenord", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    if not current_app.config.get("PASSWORD_LOGIN", True):
        abort(404)
    form = ForgotPasswordForm()
    answer = submit(form, lambda: _send_reset(form.email.data))
    if answer.done:
        return render_template("accounts/forgot_password.html", form=None, sent=True)
    return render_template("accounts/forgot_password.html", form=form, sent=False), answer.status


def _send_reset(email: str) -> None:
    """Mail a reset link unless the address asked too often; a mail that fails is logged."""
    if throttle.attempt(email, "reset") is None:
        try:
            services.request_reset(email, str(get_locale()))
        except MailError:
            current_app.logger.exception("password reset mail not sent")


def _use_link(token: str, purpose: str):
    """The page behind an invitation or reset link: choose a password."""
    form = SetPasswordForm()
    try:
        user = services.token_user(token, purpose)
    except AccountError as exc:
        return render_template("accounts/set_password.html", form=None, purpose=purpose,
                               problem=_link_message(exc.code)), _link_status(exc.code)
    try:
        answer = submit(form, lambda: services.set_password_with_link(token, purpose,
                                                                      form.new.data),
                        refusal=(AccountError, _weak_password))
    except AccountError as exc:  # the link stopped working while the form was open
        return render_template("accounts/set_password.html", form=None, purpose=purpose,
                               problem=_link_message(exc.code)), _link_status(exc.code)
    if answer.done:
        flash(_("Your password is set. Sign in with it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/set_password.html", form=form, purpose=purpose,
                           email=user.email, problem=None), answer.status


def _weak_password(exc: AccountError) -> dict[str, list[str]]:
    """A new password refused for its rules, at its field; any other refusal goes on.

    :raise AccountError: for a link that was used or has expired in the meantime.
    """
    if exc.code != "weak_password":
        raise exc
    return {"new": password_messages(exc.detail)}


@bp.route("/konto/inbjudan/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Set the first password through an invitation link."""
    return _use_link(token, "invite")


@bp.route("/konto/aterstall/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password through a reset link."""
    return _use_link(token, "reset")


# --- notifications -----------------------------------------------------------------------


@bp.route("/konto/aviseringar", methods=["GET", "POST"])
def notifications():
    """Per kind of notification: off, as it happens, or in the weekly digest."""
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    from portal.notify import services as notify
    from portal.notify.registry import MODES, kinds

    error = None
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        choices = {k.name: request.form.get(k.name, "") for k in kinds()}
        if any(mode not in MODES for mode in choices.values()):
            error = _("Choose one of the three ways for every kind of notification.")
        else:
            notify.save_preferences(current_user, choices)
            flash(_("Your notification settings were saved."), "info")
            return redirect(url_for(".notifications"))
    status = 422 if error else 200
    return render_template("accounts/notifications.html", kinds=kinds(),
                           chosen=notify.preferences(current_user), error=error,
                           has_person=current_user.person_id is not None), status
