"""Stored dates outside the portal's range are listed for an admin, never changed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import select, text

from portal.extensions import db as _db
from portal.models import Action, Document, Forum, ForumMembership, Milestone
from portal.stored_dates import DATE_COLUMNS


def _write_bad_dates(db) -> dict[str, str]:
    """Dates outside, written in SQL as a script or an old version could have."""
    action = db.session.scalar(select(Action).order_by(Action.id).limit(1))
    milestone = db.session.scalar(select(Milestone).order_by(Milestone.id).limit(1))
    document = db.session.scalar(select(Document).order_by(Document.id).limit(1))
    seat = db.session.scalar(select(ForumMembership).join(ForumMembership.forum)
                             .where(Forum.key == "lsg").order_by(ForumMembership.id).limit(1))
    keys = {"action": action.key, "milestone": milestone.key, "document": document.key,
            "forum": seat.forum.key, "person": seat.person.key}
    for sql, values in (
        ("UPDATE action SET due_on = :d WHERE id = :id", (date(9999, 12, 31), action.id)),
        ("UPDATE milestone SET done_on = :d WHERE id = :id", (date(1899, 12, 31), milestone.id)),
        ("UPDATE document SET dated_on = :d WHERE id = :id", (date(2200, 1, 1), document.id)),
        ("UPDATE forum_membership SET ended_on = :d WHERE id = :id", (date(1, 1, 1), seat.id)),
    ):
        db.session.execute(text(sql), dict(zip(("d", "id"), values, strict=True)))
    db.session.commit()
    db.session.expire_all()
    return keys


def test_every_date_column_of_the_schema_is_checked(app):
    """A new date column must be added to the listing: nothing outside may go unseen."""
    in_schema = {(t.name, c.name) for t in _db.metadata.sorted_tables for c in t.columns
                 if isinstance(c.type, sa.Date) and not isinstance(c.type, sa.DateTime)}
    checked = {(m.__tablename__, f) for m, (fields, _) in DATE_COLUMNS.items() for f in fields}
    assert checked == in_schema


def test_flask_check_dates_lists_each_object_field_and_value(db, demo, runner):
    assert runner.invoke(args=["check-dates"]).exit_code == 0  # the demo is inside the range
    keys = _write_bad_dates(db)
    result = runner.invoke(args=["check-dates"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    expected = {
        f"action {keys['action']}: due_on = 9999-12-31": f"/atgarder/{keys['action']}/redigera",
        f"milestone {keys['milestone']}: done_on = 1899-12-31": f"#milestone-{keys['milestone']}",
        f"document {keys['document']}: dated_on = 2200-01-01": f"/dokument/{keys['document']}",
        f"forum_membership {keys['forum']}: {keys['person']}: ended_on = ":
            f"/forum/{keys['forum']}/medlemmar",
    }
    for start, link in expected.items():
        assert any(line.startswith(start) and link in line for line in lines), (start, lines)
    assert "4 stored date(s) outside 1900-01-01 to 2199-12-31." in result.output
    # Listed, not changed.
    assert db.session.get(Action, db.session.scalar(
        select(Action.id).where(Action.key == keys["action"]))).due_on == date(9999, 12, 31)


def test_the_exchange_page_shows_admins_the_dates_to_fix(client, db, demo, signed_in):
    signed_in("admin")
    assert 'id="dates-outside"' not in client.get("/admin/utbyte").get_data(as_text=True)
    keys = _write_bad_dates(db)
    page = client.get("/admin/utbyte").get_data(as_text=True)
    box = page[page.index('id="dates-outside"'):]
    assert "Datum utanför portalens intervall" in box
    assert "1900-01-01" in box and "2199-12-31" in box
    assert f'href="/atgarder/{keys["action"]}/redigera"' in box and "9999-12-31" in box
    assert f'href="/dokument/{keys["document"]}/redigera"' in box and "2200-01-01" in box
    assert "<code>done_on</code>" in box and "1899-12-31" in box
