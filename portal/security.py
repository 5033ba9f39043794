"""Sign-in required everywhere, session loading, and the security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.exceptions import SecurityError

from portal.auth import services
from portal.extensions import db, login_manager
from portal.models import User
from portal.views import vary_on_htmx, wants_fragment

PUBLIC_ENDPOINTS = frozenset({
    "auth.login", "auth.set_language", "static", "health",
    "oidc.start", "oidc.callback",
    "accounts.forgot_password", "accounts.reset_password", "accounts.accept_invite",
    "privacy.notice", "privacy.accessibility",
    "calendar.feed",  # calendar apps fetch it without a session; the URL holds a secret
})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    """Install the sign-in gate and the response headers."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)
    app.before_request(_require_sign_in)
    app.after_request(_security_headers)
    app.add_url_rule("/health", "health", _health)
    template_permissions(app)


def _load_user(user_id: str) -> User | None:
    """Load the user only while the server-side session is alive."""
    user = services.session_user(
        session.get("sid"),
        current_app.config["SESSION_IDLE_TIMEOUT"],
        current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )
    if user is None or str(user.id) != user_id:
        return None
    return user


def _refuse_untrusted_host():
    """A Host header outside TRUSTED_HOSTS: a plain 400, before anything builds a URL from it."""
    if isinstance(request.routing_exception, SecurityError):
        return current_app.response_class("Unknown host\n", status=400, mimetype="text/plain")
    return None


def _require_sign_in():
    """Every page but sign-in, static files and the health check needs a signed-in user."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        return jsonify(error="authentication required", status=401), 401
    if wants_fragment():
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login")
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _health():
    """Answer whether the portal and its database respond."""
    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")


def _csp() -> str:
    """The policy; signing out may redirect the form to the region's identity provider."""
    issuer = current_app.config.get("OIDC_ISSUER")
    if not issuer:
        return CSP
    parts = urlsplit(issuer)
    return CSP.replace("form-action 'self'",
                       f"form-action 'self' {parts.scheme}://{parts.netloc}")


def _security_headers(response):
    """Add the headers every response carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _csp())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    if request.htmx or "HX-Request" in headers.get("Vary", ""):
        vary_on_htmx(response)
    return response


def template_permissions(app: Flask) -> None:
    """Templates ask the permission module, never the roles themselves."""
    from portal.auth import permissions

    app.jinja_env.globals.update(
        can_edit=permissions.can_edit, can_administer=permissions.can_administer
    )
    app.jinja_env.globals.update(
        can_log_decision=permissions.can_log_decision,
        can_edit_decision=permissions.can_edit_decision,
        can_correct_decision=permissions.can_correct_decision,
        can_manage_forum=permissions.can_manage_forum,
        can_edit_register=permissions.can_edit_register,
    )
    app.jinja_env.globals.update(
        can_view_map=permissions.can_view_map,
        can_save_snapshot=permissions.can_save_snapshot,
    )
