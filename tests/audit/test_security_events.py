"""Failed sign-ins and refused requests are counted per kind, source and minute, not appended
to the audit trail, and deleted after the retention period."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.audit.events import count_event
from portal.extensions import db
from portal.models import AuditEntry, SecurityEvent, SigninCounter

MINUTE = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def _rows() -> list[tuple[str, str, int]]:
    return [tuple(r) for r in db.session.execute(
        select(SecurityEvent.kind, SecurityEvent.source, SecurityEvent.count)
        .order_by(SecurityEvent.kind, SecurityEvent.source, SecurityEvent.minute))]


def test_500_failed_sign_ins_from_one_source_in_a_minute_make_one_row(live_portal):
    """Ten threads, each with its own connection, count 50 failures each in the same minute
    (at seconds 0 to 59): one row, count 500, whatever the interleaving (both databases)."""
    app = live_portal.app
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def fail_fifty(thread: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                for n in range(50):
                    count_event("login_failed", "203.0.113.7",
                                at=MINUTE + timedelta(seconds=(thread * 50 + n) % 60))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=fail_fifty, args=(t,)) for t in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with app.app_context():
        assert _rows() == [("login_failed", "203.0.113.7", 500)]
        # Another source, or the next minute, is a row of its own.
        count_event("login_failed", "198.51.100.4", at=MINUTE)
        count_event("login_failed", "203.0.113.7", at=MINUTE + timedelta(minutes=1))
        assert _rows() == [("login_failed", "198.51.100.4", 1),
                           ("login_failed", "203.0.113.7", 500),
                           ("login_failed", "203.0.113.7", 1)]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_failed_sign_ins_through_the_form_add_no_audit_entries(client, auth, db, make_user):
    """Thirty wrong passwords for thirty addresses typed: one counted row, the audit trail
    does not grow."""
    make_user("viewer")
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
    token = auth.csrf_token()
    for n in range(30):
        response = client.post("/login", data={"email": f"guess{n}@test.example",
                                               "password": "x", "csrf_token": token},
                               environ_base={"REMOTE_ADDR": "192.0.2.9"})
        assert response.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    counted = db.session.execute(select(SecurityEvent.source, func.sum(SecurityEvent.count))
                                 .group_by(SecurityEvent.source)).all()
    assert [tuple(r) for r in counted] == [("192.0.2.9", 30)]


def test_prune_keeps_only_the_retention_period(app, db, runner):
    """`flask security-events prune` deletes events older than the retention period and
    sign-in counters whose window ended long ago; newer ones stay."""
    now = datetime.now(UTC)
    count_event("login_failed", "old", at=now - timedelta(days=91))
    count_event("login_failed", "recent", at=now - timedelta(days=89))
    db.session.add_all([
        SigninCounter(key="login:account:old", window_start=int(now.timestamp()) - 2 * 86400,
                      count=5),
        SigninCounter(key="login:account:now", window_start=int(now.timestamp()), count=1)])
    db.session.commit()
    app.config["SECURITY_EVENT_RETENTION_DAYS"] = 90
    result = runner.invoke(args=["security-events", "prune"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 security events older than 90 days and 1 ended" in result.output
    assert [source for _, source, _ in _rows()] == ["recent"]
    assert db.session.scalars(select(SigninCounter.key)).all() == ["login:account:now"]
    result = runner.invoke(args=["security-events", "prune", "--days", "30"])
    assert _rows() == []


def test_admins_see_the_security_events(client, db, auth, make_user, signed_in):
    """The users page lists the last day's events per source; an account's page its own
    refused requests. Others are refused (and counted)."""
    reader = make_user("viewer", email="reader@test.example")
    for _ in range(3):
        auth.login("nobody@test.example", "wrong")
    auth.login(reader.email)
    assert client.get("/admin/utbyte").status_code == 403
    auth.logout()
    signed_in("admin")
    page = client.get("/anvandare").get_data(as_text=True)
    section = page.split('id="security-h"', 1)[1]
    assert "127.0.0.1" in section and ">3<" in section
    assert "reader@test.example" in section
    own = client.get(f"/anvandare/{reader.id}").get_data(as_text=True)
    assert ">1<" in own.split('id="security-h"', 1)[1]
