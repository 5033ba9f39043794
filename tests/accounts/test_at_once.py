"""Writes two people (or two browsers) make at once, through real HTTP, each race repeated
`LIVE_ROUNDS` times; counters in Redis."""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest

from portal.extensions import db
from tests.browser.conftest import serve_portal
from tests.conftest import require_or_skip
from tests.helpers import PASSWORD, csrf_token
from tests.live import ROUNDS

NEW_PASSWORDS = ("forsande-alv-i-norr-1", "tyst-granskog-vid-sjo-2")


@pytest.fixture
def reset_links(tmp_path_factory, database_url, _schema):
    """A live portal with `ROUNDS` accounts and a fresh reset link for each."""
    made = []

    def load():
        from portal.accounts.services import _issue
        from portal.auth.services import create_user

        for n in range(ROUNDS):
            user = create_user(None, f"tva{n}@region.example", PASSWORD, "viewer")
            made.append((user.email, _issue(user, "reset", 2)))
        db.session.commit()

    server = serve_portal(tmp_path_factory, database_url, load)
    base = next(server)
    yield base, [(email, f"{base}/konto/aterstall/{token}") for email, token in made]
    next(server, None)


def test_a_reset_link_used_twice_at_once_sets_one_password(reset_links):
    """Two browsers submit the same link at the same moment: one succeeds, one is told it
    was used; the password is the one that succeeded. Once per account, `LIVE_ROUNDS` times."""
    base, links = reset_links
    for email, link in links:
        _race_one_reset_link(base, email, link)


def _race_one_reset_link(base: str, email: str, link: str) -> None:
    clients = [httpx.Client(base_url=base, follow_redirects=False) for _ in range(2)]
    tokens = []
    for client in clients:
        tokens.append(csrf_token(client, link))
    barrier = threading.Barrier(2)
    results: list[tuple[int, str]] = [None, None]

    def submit(number: int) -> None:
        barrier.wait()
        response = clients[number].post(link, data={
            "new": NEW_PASSWORDS[number], "confirm": NEW_PASSWORDS[number],
            "csrf_token": tokens[number]})
        results[number] = (response.status_code, NEW_PASSWORDS[number])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    codes = sorted(code for code, _ in results)
    assert codes == [302, 410], (email, results)
    winner = next(password for code, password in results if code == 302)
    loser = next(password for code, password in results if code != 302)
    with httpx.Client(base_url=base, follow_redirects=False) as fresh:
        def sign_in(password):
            return fresh.post("/login", data={"email": email, "password": password,
                                              "csrf_token": csrf_token(fresh, "/login")})

        assert sign_in(loser).status_code == 401
        assert sign_in(winner).status_code == 302
    for client in clients:
        client.close()


def test_failure_counts_live_in_redis_for_every_worker(test_config):
    """Two application processes (here: two app objects) share the account's lock in Redis."""
    import redis

    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        available = True
    except redis.exceptions.ConnectionError:
        available = False
    require_or_skip(available, "Redis is not running on 127.0.0.1:6379")
    from portal import create_app

    config = type("Shared", (test_config,), {"RATELIMIT_STORAGE_URI": url})
    first, second = create_app(config), create_app(config)
    email = f"{uuid.uuid4().hex}@region.example"  # fresh counters, whoever else uses db 7
    with first.test_request_context("/login", environ_base={"REMOTE_ADDR": "10.3.3.3"}):
        from portal.auth import throttle

        for _ in range(5):
            assert throttle.attempt(email) is None
    with second.test_request_context("/login", environ_base={"REMOTE_ADDR": "10.4.4.4"}):
        lock = throttle.attempt(email)
        assert lock is not None and lock.scope == "account" and 14 <= lock.minutes <= 15
        assert throttle.attempt("someone.else@region.example") is None


@pytest.fixture
def portal_with_admin(tmp_path_factory, database_url, _schema):
    """A live portal with one admin account."""
    def load():
        from portal.auth.services import create_user

        create_user(None, "admin@region.example", PASSWORD, "admin")

    server = serve_portal(tmp_path_factory, database_url, load)
    yield next(server)
    next(server, None)


def test_two_admins_invite_the_same_address_at_once(portal_with_admin):
    """One invitation is made; the other admin is told the address already has an account.
    A new address each round, `LIVE_ROUNDS` times."""
    base = portal_with_admin
    clients = [httpx.Client(base_url=base, follow_redirects=False) for _ in range(2)]
    tokens = []
    for client in clients:
        assert client.post("/login", data={"email": "admin@region.example",
                                           "password": PASSWORD,
                                           "csrf_token": csrf_token(client)}).status_code == 302
        tokens.append(csrf_token(client, "/anvandare/bjud-in"))
    for round_ in range(ROUNDS):
        address = f"samtidig{round_}@region.example"
        barrier = threading.Barrier(2)
        codes = [None, None]

        def submit(number: int, address: str = address, barrier=barrier, codes=codes) -> None:
            barrier.wait()
            codes[number] = clients[number].post("/anvandare/bjud-in", data={
                "email": address, "role": "viewer", "person": "",
                "language": "sv", "csrf_token": tokens[number]}).status_code

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(codes) == [302, 422], (address, codes)
        listing = clients[0].get(f"/anvandare?q=samtidig{round_}%40").text
        assert listing.count(f">{address}</a>") == 1  # one row in the list
    for client in clients:
        client.close()
