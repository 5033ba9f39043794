"""Sign-in, sign-out and the language choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import services
from portal.auth.forms import LoginForm
from portal.extensions import limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow a local path after sign-in, never another site."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Wrong email address or password."), "error")
            return render_template("auth/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a new session at every sign-in
        token = services.start_session(user)
        session["sid"] = token
        session.permanent = True
        if lang:
            session["lang"] = lang
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out and end the session on the server."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    services.end_session(session.get("sid"), user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Remember the chosen language and go back to the page."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
