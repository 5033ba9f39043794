"""Sign-in, sign-out and the language choice."""

from __future__ import annotations

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
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from portal.auth import services, throttle
from portal.auth.forms import LoginForm
from portal.auth.web import finish_sign_in, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in choices and sign the user in with a password.

    Only failures are counted (per account typed and per client address); a locked account
    gets 429 and the wait in minutes, whatever the password, so guessing gains nothing.
    """
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    password_login = current_app.config.get("PASSWORD_LOGIN", True)
    if request.method == "POST" and not password_login:
        abort(404)
    if form.validate_on_submit():
        lock = throttle.attempt(form.email.data)  # counted before the check: no race
        if lock is not None:
            return _locked(form, lock)
        user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        if user is None:
            flash(_("Wrong email address or password."), "error")
            return render_template("auth/login.html", form=form), 401
        throttle.succeeded(form.email.data)
        return finish_sign_in(user, {}, request.args.get("next"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _locked(form: LoginForm, lock: throttle.Lock):
    """The sign-in page with the wait stated in minutes (429)."""
    if lock.scope == "account":
        message = ngettext(
            "Too many wrong passwords for this account. Wait %(num)d minute and try again, "
            "or reset your password.",
            "Too many wrong passwords for this account. Wait %(num)d minutes and try again, "
            "or reset your password.", lock.minutes)
    else:
        message = ngettext(
            "Too many failed sign-ins from your network. Wait %(num)d minute and try again.",
            "Too many failed sign-ins from your network. Wait %(num)d minutes and try again.",
            lock.minutes)
    response = current_app.make_response(
        (render_template("auth/login.html", form=form, refusal=message), 429))
    response.headers["Retry-After"] = str(lock.minutes * 60)
    return response


@bp.post("/logout")
def logout():
    """Sign out: end the session on the server, then at the provider when it has an end."""
    from portal.auth import oidc

    user = current_user._get_current_object() if current_user.is_authenticated else None
    provider_logout = oidc.logout_url(oidc.stored_id_token())
    services.end_session(session.get("sid"), user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "info")
    return redirect(provider_logout or url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Remember the chosen language (for a signed-in person: also for their mail)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            services.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next")))
