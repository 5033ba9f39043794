"""Signing in through the region's identity provider: a real OpenID provider on 127.0.0.1."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal.auth.services import set_enabled
from portal.models import AuditEntry, User
from tests.helpers import csrf_token
from tests.oidc.harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    path_of,
    running_provider,
    sign_in_at_provider,
)

PORTAL = "http://portal.test"


@pytest.fixture(scope="module")
def issuer():
    """The provider, knowing the portal at PORTAL."""
    with running_provider([PORTAL]) as url:
        yield url


@pytest.fixture
def oidc(app, issuer):
    """The app configured for the provider."""
    app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID,
                      OIDC_CLIENT_SECRET=CLIENT_SECRET, PORTAL_URL=PORTAL)
    return app


def _start(client) -> str:
    response = client.get("/login/oidc")
    assert response.status_code == 302
    return response.headers["Location"]


def _sign_in(client, login: str):
    """The whole journey: portal → provider's sign-in page → portal callback."""
    callback = sign_in_at_provider(_start(client), login, PORTAL)
    return client.get(path_of(callback))


def test_login_page_offers_the_region_sign_in_first(client, oidc):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/login/oidc"' in page
    assert page.index('href="/login/oidc"') < page.index('name="password"')


def test_authorization_request_uses_pkce_state_nonce_and_portal_url(client, oidc, issuer):
    """The redirect URI comes from PORTAL_URL, not from the request's Host header."""
    query = parse_qs(urlsplit(_start(client)).query)
    assert query["redirect_uri"] == [f"{PORTAL}/login/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"] and query["nonce"]
    assert query["client_id"] == [CLIENT_ID]


def test_known_person_signs_in_case_insensitively(client, oidc, make_user, db):
    user = make_user("viewer", email="anna.berg@region.example")
    response = _sign_in(client, "Anna.Berg@Region.example")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    login = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login")).one()
    assert login.user_id == user.id and login.data == {"method": "oidc"}


def test_unknown_person_is_refused_naming_whom_to_ask(client, oidc, make_user, db):
    make_user("admin", email="it-support@region.example")
    response = _sign_in(client, "stranger@region.example")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "stranger@region.example" in page and "it-support@region.example" in page
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(User).where(User.email == "stranger@region.example")) is None


def test_unknown_person_gets_the_automatic_role_when_configured(client, oidc, db):
    oidc.config["OIDC_AUTO_ROLE"] = "viewer"
    response = _sign_in(client, "new.person@region.example")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@region.example"))
    assert user.role == "viewer" and user.password_hash is None


def test_disabled_account_is_refused(client, oidc, make_user):
    user = make_user("viewer", email="gone@region.example")
    set_enabled(None, user, False)
    response = _sign_in(client, "gone@region.example")
    assert response.status_code == 403
    assert "gone@region.example" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unverified_email_is_refused(client, oidc, make_user):
    make_user("viewer", email="unverified@region.example")
    response = _sign_in(client, "unverified@region.example")
    assert response.status_code == 403
    assert client.get("/").status_code == 302


def test_id_token_for_another_client_is_refused(client, oidc, make_user):
    """The provider's token endpoint answers with an ID token whose audience is another client."""
    make_user("viewer", email="wrong-audience@region.example")
    response = _sign_in(client, "wrong-audience@region.example")
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_expired_id_token_is_refused(client, oidc, make_user):
    make_user("viewer", email="expired@region.example")
    response = _sign_in(client, "expired@region.example")
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_replayed_state_is_refused(client, oidc, make_user):
    """The callback URL used a second time (state and code already spent) signs nobody in."""
    make_user("viewer", email="anna.berg@region.example")
    callback = path_of(sign_in_at_provider(_start(client), "anna.berg@region.example", PORTAL))
    assert client.get(callback).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302
    assert client.get(callback).status_code == 400
    assert client.get("/").status_code == 302


def test_tampered_callback_is_refused(client, oidc, make_user):
    """A callback whose state was not issued to this browser is refused."""
    make_user("viewer", email="anna.berg@region.example")
    callback = path_of(sign_in_at_provider(_start(client), "anna.berg@region.example", PORTAL))
    query = parse_qs(urlsplit(callback).query)
    forged = f"/login/oidc/callback?code={query['code'][0]}&state=forged-state"
    assert client.get(forged).status_code == 400
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session_and_goes_to_the_provider(client, oidc, make_user, issuer):
    make_user("viewer", email="anna.berg@region.example")
    _sign_in(client, "anna.berg@region.example")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    target = response.headers["Location"]
    assert target.startswith(issuer)
    assert parse_qs(urlsplit(target).query)["post_logout_redirect_uri"] == [f"{PORTAL}/login"]
    assert client.get("/").status_code == 302


def test_password_login_off_hides_the_form(client, oidc, make_user, auth):
    oidc.config["PASSWORD_LOGIN"] = False
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and 'href="/login/oidc"' in page
    user = make_user("viewer")
    token = auth.csrf_token()
    response = client.post("/login", data={"email": user.email, "password": "x" * 12,
                                           "csrf_token": token})
    assert response.status_code == 404


def test_sign_in_returns_to_the_page_asked_for(client, oidc, make_user):
    make_user("viewer", email="anna.berg@region.example")
    page = client.get("/login?next=/forum").get_data(as_text=True)
    assert 'href="/login/oidc?next=/forum"' in page
    start = client.get("/login/oidc?next=/forum").headers["Location"]
    callback = sign_in_at_provider(start, "anna.berg@region.example", PORTAL)
    assert client.get(path_of(callback)).headers["Location"] == "/forum"
