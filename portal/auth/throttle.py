"""Sign-in throttling that protects accounts without locking out an office.

Only failures are counted: per account (the address typed, whether or not it has an account,
so the lock reveals nothing) and, with a generous limit, per client address. A successful
sign-in is never counted. The counters live in the rate-limit store (`RATELIMIT_STORAGE_URI`:
Redis when several workers run), through the `limits` library that Flask-Limiter uses.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "samverkan-signin"


@dataclass(frozen=True)
class Lock:
    """Why sign-in is refused for now, and for how many more minutes."""

    scope: str  # "account" or "address"
    minutes: int


def init_app(app: Flask) -> None:
    """Give the application its own limiter over the configured store."""
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    app.extensions["signin_throttle"] = MovingWindowRateLimiter(storage)


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions["signin_throttle"]


def _account_id(email: str) -> str:
    """The store sees a digest of the address, not the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _client_address() -> str:
    """The client's address (the forwarded one when PROXY_TRUSTED_HOPS is set)."""
    return request.remote_addr or "unknown"


def _checks(kind: str, email: str) -> list[tuple[str, str, str]]:
    """(scope, limit text, identifier) for each counter that applies."""
    if kind == "reset":
        return [("account", current_app.config["PASSWORD_RESETS_PER_ACCOUNT"],
                 _account_id(email))]
    return [
        ("account", current_app.config["LOGIN_FAILURES_PER_ACCOUNT"], _account_id(email)),
        ("address", current_app.config["LOGIN_FAILURES_PER_ADDRESS"], _client_address()),
    ]


def locked(email: str, kind: str = "login") -> Lock | None:
    """The lock in force for this address typed (and this client), or None."""
    limiter = _limiter()
    for scope, text, identifier in _checks(kind, email):
        item = parse(text)
        if not limiter.test(item, NAMESPACE, kind, scope, identifier):
            stats = limiter.get_window_stats(item, NAMESPACE, kind, scope, identifier)
            seconds = max(stats.reset_time - time.time(), 1)
            return Lock(scope, max(1, math.ceil(seconds / 60)))
    return None


def count(email: str, kind: str = "login") -> None:
    """Count one failed sign-in (or one reset request) against the account and the address."""
    limiter = _limiter()
    for _scope, text, identifier in _checks(kind, email):
        limiter.hit(parse(text), NAMESPACE, kind, _scope, identifier)
