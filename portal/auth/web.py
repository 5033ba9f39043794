"""What the sign-in views (password and the region's sign-in) share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, session, url_for
from flask_login import login_user

from portal.auth import services


def safe_next(target: str | None) -> str:
    """Only follow a local path after sign-in, never another site."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.index")
    return target


def finish_sign_in(user, extra: dict, next_url: str | None):
    """Start a new portal session for the user (password or region sign-in) and go on."""
    lang = session.get("lang")
    session.clear()  # a new session at every sign-in
    token = services.start_session(user, "oidc" if extra else "local")
    session["sid"] = token
    session.permanent = True
    if lang:
        session["lang"] = lang
    session.update({k: v for k, v in extra.items() if v})
    login_user(user)
    return redirect(safe_next(next_url))
