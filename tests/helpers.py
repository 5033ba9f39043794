"""The one way tests sign in and read the CSRF token a form must send."""

from __future__ import annotations

import re

from portal.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD

PASSWORD = "correct-horse-battery"  # noqa: S105 - test accounts only
DEMO_EMAILS = frozenset(email for email, _role in DEMO_ACCOUNTS)
# base.html carries the token in a meta tag for htmx; a form without the base carries its input.
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and read the session's CSRF token from it.

    `client` is Flask's test client or, for a live portal, an httpx client: both answers
    have `.text`.
    """
    page = client.get(path).text
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


class AuthActions:
    """Sign in and out through the real form, CSRF token included (the `auth` fixture)."""

    def __init__(self, client) -> None:
        self._client = client

    def csrf_token(self, path: str = "/login") -> str:
        """The CSRF token of the client's session, read from a page."""
        return csrf_token(self._client, path)

    def login(self, email: str, password: str | None = None):
        """Sign in with the form; a demo account's password is the demo's, others PASSWORD."""
        if password is None:
            password = DEMO_PASSWORD if email in DEMO_EMAILS else PASSWORD
        return self._client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": self.csrf_token()},
        )

    def logout(self):
        """Sign out with the form."""
        return self._client.post("/logout", data={"csrf_token": self.csrf_token("/")})

    def as_user(self, user) -> str:
        """Sign in as an account (or stay signed out for None); return the CSRF token."""
        if user is None:
            return self.csrf_token("/login")
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return self.csrf_token("/fokusomraden")  # a light page that every role may read


def sqlite_copy(db, path) -> str:
    """Copy the worker's SQLite database into the file `path` (for another process or app to
    open); its URL."""
    import sqlite3

    target, source = sqlite3.connect(path), db.engine.raw_connection()
    try:
        source.driver_connection.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{path}"
