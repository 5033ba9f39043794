"""Sign-in throttling protects accounts without locking out an office behind one address."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from tests.helpers import PASSWORD


def _post(client, token, email, password, address="10.1.2.3"):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def _sign_out(auth):
    assert auth.logout().status_code == 302


def test_eleven_successful_sign_ins_from_one_address_all_pass(client, auth, make_user):
    """Behind the region's proxy everyone shares an address: success is never counted."""
    user = make_user("viewer")
    for _ in range(11):
        response = _post(client, auth.csrf_token(), user.email, PASSWORD)
        assert response.status_code == 302, response.status_code
        _sign_out(auth)


def test_five_failures_lock_that_account_but_not_a_colleague(client, auth, make_user):
    """The sixth try on the attacked account waits (in minutes); a colleague signs in."""
    victim = make_user("viewer", email="victim@test.example")
    colleague = make_user("viewer", email="colleague@test.example")
    token = auth.csrf_token()
    codes = [_post(client, token, victim.email, "wrong-password").status_code for _ in range(5)]
    assert codes == [401] * 5
    locked = _post(client, token, victim.email, PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert re.search(r"Vänta 1[45] minuter|Wait 1[45] minutes", page), page[-2000:]
    assert int(locked.headers["Retry-After"]) > 13 * 60
    assert _post(client, auth.csrf_token(), colleague.email, PASSWORD).status_code == 302


def test_the_account_lock_does_not_depend_on_the_address(client, auth, make_user):
    user = make_user("viewer")
    token = auth.csrf_token()
    for number in range(5):
        _post(client, token, user.email, "wrong-password", address=f"10.0.0.{number}")
    assert _post(client, token, user.email, PASSWORD, address="10.9.9.9").status_code == 429


def test_many_failures_from_one_address_are_limited(app, client, auth, make_user):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "8 per 15 minutes"
    make_user("viewer")
    token = auth.csrf_token()
    for number in range(8):
        assert _post(client, token, f"guess{number}@test.example", "x").status_code == 401
    response = _post(client, token, "viewer@test.example", PASSWORD)
    assert response.status_code == 429
    assert "nätverk" in response.get_data(as_text=True) or "network" in response.get_data(
        as_text=True)
    assert _post(client, token, "viewer@test.example", PASSWORD,
                 address="10.7.7.7").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_counted(app, client, auth, make_user):
    """With PROXY_TRUSTED_HOPS=1 two people behind the same proxy are told apart."""
    from portal import trust_proxy

    app.config.update(PROXY_TRUSTED_HOPS=1, LOGIN_FAILURES_PER_ADDRESS="3 per 15 minutes")
    trust_proxy(app)
    make_user("viewer")
    token = auth.csrf_token()

    def post(forwarded, email, password):
        return client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token},
                           headers={"X-Forwarded-For": forwarded},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})

    for number in range(3):
        assert post("203.0.113.9", f"guess{number}@test.example", "x").status_code == 401
    assert post("203.0.113.9", "viewer@test.example", PASSWORD).status_code == 429
    assert post("198.51.100.4", "viewer@test.example", PASSWORD).status_code == 302


def test_trusted_hosts_refuse_another_host_header(app, client):
    app.config["TRUSTED_HOSTS"] = ["samverkan.example.se"]
    assert client.get("/health", headers={"Host": "samverkan.example.se"}).status_code == 200
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 400


def test_production_requires_portal_url(monkeypatch):
    from config import ProductionConfig

    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40, "PORTAL_URL": None,
                                                "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    with pytest.raises(RuntimeError, match="PORTAL_URL"):
        create_app(config)


def test_production_refuses_password_login_off_without_a_provider(monkeypatch):
    from config import ProductionConfig

    config = type("Prod", (ProductionConfig,), {
        "SECRET_KEY": "x" * 40, "PORTAL_URL": "https://samverkan.example.se",
        "PASSWORD_LOGIN": False, "OIDC_ISSUER": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    with pytest.raises(RuntimeError, match="OIDC_ISSUER"):
        create_app(config)
