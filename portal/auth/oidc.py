"""Sign-in through the region's identity provider with OpenID Connect (Authlib).

Authorization code flow with PKCE (S256), `state` and `nonce`. Authlib fetches the provider's
metadata (`<issuer>/.well-known/openid-configuration`) and keys (JWKS) and verifies the ID
token's signature, issuer, audience, expiry and nonce; this module only decides which account
the verified claims belong to.
"""

from __future__ import annotations

import logging
import threading

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _

from portal.auth import services
from portal.auth.web import finish_sign_in
from portal.links import external_url

bp = Blueprint("oidc", __name__)
log = logging.getLogger(__name__)
CLIENT = "region"
ID_TOKEN_KEY = "oidc_id_token"  # noqa: S105 - a session key, not a secret
NEXT_KEY = "oidc_next"
_LOCK = threading.Lock()


def _errors(*more: type[Exception]) -> tuple[type[Exception], ...]:
    """The exceptions of a failed exchange with the provider.

    Authlib, joserfc and requests are imported on first use: they take a tenth of a second to
    import, which every `flask` command and worker would pay although most installations sign in
    with passwords.
    """
    from authlib.common.errors import AuthlibBaseError
    from requests import RequestException

    return (AuthlibBaseError, RequestException, ValueError, *more)


def _jose_error() -> type[Exception]:
    from joserfc.errors import JoseError

    return JoseError


def init_app(app: Flask) -> None:
    """Nothing to do at start-up: the client is made on first use (after the settings)."""
    app.extensions["portal_oidc"] = None


def enabled() -> bool:
    """True when the region's sign-in is configured."""
    return bool(current_app.config.get("OIDC_ISSUER") and current_app.config.get("OIDC_CLIENT_ID"))


def _client():
    """The provider's Authlib client, registered on first use."""
    app = current_app._get_current_object()
    with _LOCK:
        oauth = app.extensions.get("portal_oidc")
        if oauth is None:
            scopes = app.config.get("OIDC_SCOPES") or "openid email profile"
            if "openid" not in scopes.split():
                scopes = "openid " + scopes  # without it there is no ID token, no nonce check
            from authlib.integrations.flask_client import OAuth

            oauth = OAuth(app)
            oauth.register(
                CLIENT,
                client_id=app.config["OIDC_CLIENT_ID"],
                client_secret=app.config.get("OIDC_CLIENT_SECRET"),
                server_metadata_url=(app.config["OIDC_ISSUER"].rstrip("/")
                                     + "/.well-known/openid-configuration"),
                client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
            )
            app.extensions["portal_oidc"] = oauth
    return oauth.create_client(CLIENT)


def redirect_uri() -> str:
    """PORTAL_URL + /login/oidc/callback (the request's address only in development)."""
    return external_url("oidc.callback")


@bp.get("/login/oidc")
def start():
    """Send the browser to the provider's sign-in page."""
    if not enabled():
        abort(404)
    session[NEXT_KEY] = request.args.get("next") or None  # the page asked for before sign-in
    try:
        return _client().authorize_redirect(redirect_uri())
    except _errors() as exc:
        log.warning("OIDC provider unreachable: %s", exc)
        return _refuse(_("The region's sign-in service does not answer. Try again later."),
                       503)


@bp.get("/login/oidc/callback")
def callback():
    """Verify the provider's answer and sign the matching account in."""
    if not enabled():
        abort(404)
    if request.args.get("error"):
        return _refuse(_("The region's sign-in was cancelled or refused."), 401)
    try:
        token = _client().authorize_access_token()
    except _errors(_jose_error(), KeyError) as exc:
        log.warning("OIDC callback refused: %s: %s", type(exc).__name__, exc)
        services.record_failed_sign_in(request.remote_addr)
        return _refuse(_("The answer from the region's sign-in could not be verified. "
                         "Start again from the sign-in page."), 400)
    claims = token.get("userinfo")
    if not claims:  # no verified ID token: never sign in on an access token alone
        return _refuse(_("The answer from the region's sign-in could not be verified. "
                         "Start again from the sign-in page."), 400)
    email = _email_of(claims, token)
    try:
        user = services.oidc_account(email, claims.get("email_verified"),
                                     current_app.config.get("OIDC_AUTO_ROLE"),
                                     source=request.remote_addr)
    except services.AccountError as exc:
        return _refuse(_refusal_text(exc.code, email), 403)
    return finish_sign_in(user, {ID_TOKEN_KEY: token.get("id_token")},
                          next_url=session.pop(NEXT_KEY, None))


def _email_of(claims, token) -> str:
    """The configured claim, from the ID token or else from the userinfo endpoint."""
    name = current_app.config.get("OIDC_EMAIL_CLAIM") or "email"
    value = claims.get(name)
    if not value and token.get("access_token"):
        try:
            value = _client().userinfo(token=token).get(name)
        except _errors():
            value = None
    return str(value or "").strip()


def _refusal_text(code: str, email: str) -> str:
    """Klarspråk for each reason an account was refused."""
    if code == "email_unverified":
        return _("The region's sign-in says that the email address %(email)s is not verified, "
                 "so it cannot be used to sign in here.", email=email)
    if code == "disabled":
        return _("The account %(email)s is disabled. Ask %(contact)s if you need it again.",
                 email=email, contact=services.account_contact())
    if code == "no_email":
        return _("The region's sign-in did not tell us your email address. "
                 "Ask %(contact)s for help.", contact=services.account_contact())
    return _("You are signed in at the region as %(email)s, but there is no account for that "
             "address in Samverkansportalen. Ask %(contact)s to give you one.",
             email=email, contact=services.account_contact())


def _refuse(message: str, status: int):
    """The sign-in page again, with the reason."""
    from portal.auth.forms import LoginForm

    return render_template("auth/login.html", form=LoginForm(), refusal=message), status


def logout_url(id_token: str | None) -> str | None:
    """The provider's end-session URL when it has one (after the portal session ended)."""
    if not enabled() or not id_token:
        return None
    try:
        metadata = _client().load_server_metadata()
    except _errors():
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    from authlib.common.urls import add_params_to_uri

    return add_params_to_uri(endpoint, {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": external_url("auth.login"),
        "client_id": current_app.config["OIDC_CLIENT_ID"],
    })


def stored_id_token() -> str | None:
    """The ID token of this session's region sign-in, if any."""
    return session.get(ID_TOKEN_KEY)
