"""Signing in and out, sessions, and the sign-in gate."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.services import set_enabled
from portal.models import AuditEntry, SecurityEvent, UserSession
from tests.helpers import PASSWORD


def test_login_page_is_public_and_swedish(client):
    """The sign-in page answers without an account, in Swedish by default."""
    response = client.get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert 'name="email"' in page and 'name="password"' in page


def test_signed_out_pages_redirect_to_login(client):
    """Every page but sign-in sends a signed-out visitor to /login, keeping the target."""
    response = client.get("/forum?q=lsg")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/forum")


def test_signed_out_api_answers_401_json(client):
    """The API answers 401 with a JSON error instead of a redirect."""
    response = client.get("/api/v1/export")
    assert response.status_code == 401
    assert response.get_json()["error"] == "authentication required"


def test_health_is_public(client):
    """The health check answers without signing in."""
    assert client.get("/health").get_json() == {"status": "ok"}


def test_sign_in_with_right_password(client, auth, make_user, db):
    """Right credentials open the overview and record a sign-in in the audit trail."""
    user = make_user("viewer")
    response = auth.login(user.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "login" in actions


def test_wrong_password_is_refused_generically(client, auth, make_user, db):
    """A wrong password and an unknown address get the same message, and both are counted
    among the security events (not the audit trail, which keeps writes)."""
    user = make_user("viewer")
    wrong = auth.login(user.email, "not-the-password")
    unknown = auth.login("nobody@test.example", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Fel e-postadress eller lösenord" in wrong.get_data(as_text=True) or (
        "Wrong email address or password" in wrong.get_data(as_text=True)
    )
    failures = db.session.execute(select(SecurityEvent.kind, SecurityEvent.source,
                                         SecurityEvent.count)).all()
    assert failures == [("login_failed", "127.0.0.1", 2)]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "login_failed")) == 0
    assert client.get("/").status_code == 302


def test_next_only_follows_local_paths(client, auth, make_user):
    """After sign-in the portal follows ?next= only to its own pages."""
    user = make_user("viewer")
    token = auth.csrf_token()
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_post_without_csrf_token_is_refused(client, make_user):
    """A form posted without its CSRF token changes nothing."""
    user = make_user("viewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session_on_the_server(client, auth, make_user, db):
    """After sign-out, a copy of the old session cookie no longer works."""
    user = make_user("viewer")
    auth.login(user.email)
    cookie = client.get_cookie("samverkan_session").value
    auth.logout()
    assert client.get("/").status_code == 302
    client.set_cookie("samverkan_session", cookie)
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(UserSession.ended_at)) is not None


def test_disabling_an_account_ends_its_sessions(client, auth, make_user):
    """A disabled account is signed out at its next request."""
    user = make_user("viewer")
    auth.login(user.email)
    assert client.get("/").status_code == 200
    set_enabled(None, user, False)
    assert client.get("/").status_code == 302
    assert auth.login(user.email).status_code == 401


def test_idle_session_times_out(app, client, auth, make_user):
    """A session unused for longer than the idle timeout is over."""
    user = make_user("viewer")
    auth.login(user.email)
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(seconds=-1)
    assert client.get("/").status_code == 302


def test_repeated_wrong_passwords_are_throttled(app, client, auth, make_user):
    """Twenty wrong passwords in a row are answered with 429 once the account's limit is hit."""
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "10 per minute"
    user = make_user("viewer")
    token = auth.csrf_token()
    codes = [
        client.post(
            "/login", data={"email": user.email, "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(20)
    ]
    assert 429 in codes
    assert codes.index(429) <= 10


def test_session_cookie_flags(client, auth, make_user):
    """The session cookie is HttpOnly and SameSite=Lax."""
    user = make_user("viewer")
    response = auth.login(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
