"""Sign-in throttling that protects accounts without locking out an office.

Only failures are counted: per account (the address typed, whether or not it has an account,
so the lock reveals nothing) and, with a generous limit, per client address. A successful
sign-in is never counted.

An attempt takes its place in each counter *before* the password is checked, in one atomic
step (Redis `INCR` when `RATELIMIT_STORAGE_URI` names Redis, otherwise an upsert in the
database, which every worker shares), and a successful sign-in gives its place back. So
simultaneous wrong passwords cannot slip past the limit: exactly as many as the limit allows
are checked, the others are refused. A window starts at the first failure and lasts the
limit's period (`5 per 15 minutes`: locked until 15 minutes after the first of the five).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import parse
from sqlalchemy import case, update

from portal.audit.events import upsert
from portal.extensions import db
from portal.models import SigninCounter

NAMESPACE = "samverkan-signin"


@dataclass(frozen=True)
class Lock:
    """Why sign-in is refused for now, and for how many more minutes."""

    scope: str  # "account" or "address"
    minutes: int


class DatabaseCounters:
    """Counters in the table `signin_counter`: one atomic upsert per counter and attempt."""

    def take(self, key: str, period: int, now: int) -> tuple[int, int]:
        """Count one attempt; (the count in the window, seconds until the window ends).

        On PostgreSQL the row stays locked until `done`: counters are always taken in the
        same order (account, then address), so two attempts never wait for each other.
        """
        table = SigninCounter.__table__
        ended = table.c.window_start <= now - period
        stmt = upsert(table).values(key=key, window_start=now, count=1)
        stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
            # Both expressions read the row as it was: a window that has ended starts again.
            "count": case((ended, 1), else_=table.c.count + 1),
            "window_start": case((ended, now), else_=table.c.window_start),
        }).returning(table.c.count, table.c.window_start)
        count, start = db.session.execute(stmt).one()
        return count, start + period - now

    def give_back(self, keys: list[str]) -> None:
        """Take one attempt off each count (a success, or an attempt that was refused)."""
        db.session.execute(update(SigninCounter)
                           .where(SigninCounter.key.in_(keys), SigninCounter.count > 0)
                           .values(count=SigninCounter.count - 1))

    def done(self) -> None:
        """Commit what was counted."""
        db.session.commit()


# KEYS[1]: the counter; ARGV[1]: the period in seconds. INCR, and a new key expires with the
# period; returns the count and the seconds left. One script: Redis runs it atomically.
_TAKE = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""
_GIVE_BACK = """
if (tonumber(redis.call('GET', KEYS[1]) or '0')) > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


class RedisCounters:
    """Counters in Redis, shared by every worker process and every server."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self._take = self.client.register_script(_TAKE)
        self._give_back = self.client.register_script(_GIVE_BACK)

    def take(self, key: str, period: int, now: int) -> tuple[int, int]:
        """Count one attempt; (the count in the window, seconds until the window ends)."""
        count, left = self._take(keys=[f"{NAMESPACE}:{key}"], args=[period])
        return int(count), max(int(left), 1)

    def give_back(self, keys: list[str]) -> None:
        """Take one attempt off each count."""
        for key in keys:
            self._give_back(keys=[f"{NAMESPACE}:{key}"])

    def done(self) -> None:
        """Nothing to commit: each script took effect at once."""


def init_app(app: Flask) -> None:
    """Keep the counters where every worker sees them: Redis when configured, else the DB."""
    url = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    shared = url.startswith(("redis://", "rediss://"))
    app.extensions["signin_throttle"] = RedisCounters(url) if shared else DatabaseCounters()


def _counters() -> DatabaseCounters | RedisCounters:
    return current_app.extensions["signin_throttle"]


def _account_id(email: str) -> str:
    """The store sees a digest of the address, not the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _client_address() -> str:
    """The client's address (the forwarded one when PROXY_TRUSTED_HOPS is set)."""
    return request.remote_addr or "unknown"


def _checks(kind: str, email: str) -> list[tuple[str, str, str]]:
    """(scope, limit text, counter key) for each counter that applies."""
    if kind == "reset":
        return [("account", current_app.config["PASSWORD_RESETS_PER_ACCOUNT"],
                 f"reset:account:{_account_id(email)}")]
    return [
        ("account", current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
         f"login:account:{_account_id(email)}"),
        ("address", current_app.config["LOGIN_FAILURES_PER_ADDRESS"],
         f"login:address:{_client_address()[:64]}"),
    ]


def attempt(email: str, kind: str = "login") -> Lock | None:
    """Take this attempt's place in every counter, or the lock in force (then none is taken).

    Call it before checking the password, and `succeeded` after a successful sign-in.
    """
    counters, now, taken = _counters(), int(time.time()), []
    lock = None
    for scope, text, key in _checks(kind, email):
        limit = parse(text)
        count, seconds_left = counters.take(key, limit.get_expiry(), now)
        taken.append(key)
        if count > limit.amount:
            counters.give_back(taken)  # a refused attempt counts nowhere
            lock = Lock(scope, max(1, math.ceil(seconds_left / 60)))
            break
    counters.done()
    return lock


def succeeded(email: str, kind: str = "login") -> None:
    """A successful sign-in gives its places back: success is never counted."""
    counters = _counters()
    counters.give_back([key for _scope, _text, key in _checks(kind, email)])
    counters.done()
