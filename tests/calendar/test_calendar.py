"""The personal calendar feed, its secret link, and the "My work" page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import event, select

from portal.demo.loader import DEMO_PASSWORD
from portal.models import Action, AuditEntry, Forum, Milestone, User
from portal.models.commission import OPEN_ACTION_STATUSES

LEAD, MEMBER = "uppdrag@example.org", "forum@example.org"
FEED_URL = re.compile(r'value="(http[^"]+/kalender/[^"]+\.ics)"')


def new_link(client, auth, email: str) -> str:
    """Sign in, create a calendar link, sign out again, and return the link's path."""
    auth.login(email, DEMO_PASSWORD)
    response = client.post("/kalender", data={"csrf_token": auth.csrf_token("/kalender")})
    assert response.status_code == 200
    match = FEED_URL.search(response.get_data(as_text=True))
    assert match, "the new link is shown once"
    auth.logout()
    return match.group(1).removeprefix("http://localhost")


def events(client, path: str) -> dict[str, dict]:
    """Fetch the feed and return its events by UID."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    cal = Calendar.from_ical(response.data)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_lead_feed_holds_milestones_with_stable_uids(client, auth, demo):
    """The commission lead's feed holds BP2 and BP3 as all-day events, same UIDs each time."""
    path = new_link(client, auth, LEAD)
    first, second = events(client, path), events(client, path)
    assert set(first) == set(second)
    for key, code in (("fm2025-bp2", "BP2"), ("fm2025-bp3", "BP3")):
        event_ = first[f"milestone-{key}@samverkansportalen"]
        assert code in str(event_["SUMMARY"])
        assert "UPPDRAGiL" in str(event_["DESCRIPTION"]) or "Uppdrag:" in str(event_["DESCRIPTION"])
        assert "/uppdrag/fm2025-uppdragil3" in str(event_["URL"])
        assert isinstance(event_.decoded("DTSTART"), date)
    assert first["milestone-fm2025-bp2@samverkansportalen"].decoded("DTSTART") == date(2025, 10, 31)


def test_forum_member_feed_holds_forum_action_deadlines(client, auth, demo, db):
    """A forum member's feed holds the deadlines of the open actions of their forums."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    action = db.session.scalar(select(Action).where(Action.owner_forum_id.is_(None)).limit(1))
    action.owner_forum_id, action.owner_person_id = lsg.id, None
    action.status, action.due_on = "in_progress", date(2026, 12, 15)
    closed = db.session.scalar(select(Action).where(Action.id != action.id).limit(1))
    closed.owner_forum_id, closed.status, closed.due_on = lsg.id, "done", date(2026, 12, 1)
    db.session.commit()
    expected = {a.key for a in db.session.scalars(select(Action).where(
        Action.owner_forum_id == lsg.id, Action.status.in_(OPEN_ACTION_STATUSES),
        Action.due_on.is_not(None)))}

    found = events(client, new_link(client, auth, MEMBER))

    assert {u.removeprefix("action-").removesuffix("@samverkansportalen")
            for u in found if u.startswith("action-")} >= expected  # and their own ones
    assert f"action-{action.key}@samverkansportalen" in found
    assert f"action-{closed.key}@samverkansportalen" not in found
    assert found[f"action-{action.key}@samverkansportalen"].decoded("DTSTART") == date(2026, 12, 15)


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "x" * 500])
def test_unknown_token_is_404(client, demo, token):
    """A token no user holds finds nothing."""
    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_renewing_ends_the_old_link_and_is_audited(client, auth, demo, db):
    """A new link replaces the old one, and the audit trail says so without the token."""
    old = new_link(client, auth, LEAD)
    assert client.get(old).status_code == 200
    new = new_link(client, auth, LEAD)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    user = db.session.scalar(select(User).where(User.email == LEAD))
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.user_id == user.id, AuditEntry.entity_type == "user")).all()
    renewals = [e for e in entries if e.data == {"calendar_token": "renewed"}]
    assert len(renewals) == 2
    assert all(e.action == "update" and e.entity_key == str(user.id) for e in renewals)
    assert not any(token in str((e.data, e.before, e.after)) for e in entries)
    assert user.calendar_token_hash != token and len(user.calendar_token_hash) == 64


def test_disabled_user_feed_is_404(client, auth, demo, db):
    """A disabled account's link stops working."""
    path = new_link(client, auth, LEAD)
    db.session.scalar(select(User).where(User.email == LEAD)).is_enabled = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_needs_no_session_but_the_page_does(client, auth, demo):
    """Calendar apps fetch without a session; the page and the renewal need sign-in."""
    path = new_link(client, auth, LEAD)  # signs out again
    assert client.get(path).status_code == 200
    for method in ("get", "post"):
        response = getattr(client, method)("/kalender")
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert client.get("/mitt-arbete").status_code == 302


def test_page_does_not_show_an_existing_link(client, auth, demo):
    """The URL is shown once: the page afterwards says only that a link exists."""
    new_link(client, auth, LEAD)
    auth.login(LEAD, DEMO_PASSWORD)
    page = client.get("/kalender").get_data(as_text=True)
    assert "<h1>" in page
    assert ".ics" not in page
    assert 'action="/kalender"' in page


def test_my_work_shows_lead_overdue_milestones(client, auth, demo, db):
    """The lead sees their commission's overdue milestones, marked in words."""
    auth.login(LEAD, DEMO_PASSWORD)
    page = client.get("/mitt-arbete").get_data(as_text=True)
    assert "<h1>Mitt arbete</h1>" in page
    overdue = page.split('id="overdue-milestones"')[1].split("</section>")[0]
    bp2 = db.session.scalar(select(Milestone).where(Milestone.key == "fm2025-bp2"))
    if bp2.due_on < date.today() - timedelta(days=1):  # the demo's BP2 is in 2025
        assert bp2.title in overdue
        assert 'class="overdue-label"' in overdue
    assert "mitt-arbete" in client.get("/").get_data(as_text=True)


def test_my_work_shows_forum_member_actions(client, auth, demo, db):
    """The forum member sees the actions of their forum, open ones before closed ones."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    open_one, done_one = db.session.scalars(select(Action).order_by(Action.key).limit(2)).all()
    open_one.owner_forum_id, open_one.status, open_one.due_on = lsg.id, "planned", date(2020, 1, 1)
    done_one.owner_forum_id, done_one.status = lsg.id, "done"
    db.session.commit()
    auth.login(MEMBER, DEMO_PASSWORD)
    page = client.get("/mitt-arbete").get_data(as_text=True)
    actions = page.split('id="my-actions"')[1].split("</section>")[0]
    assert open_one.title in actions and done_one.title in actions
    assert actions.index(open_one.title) < actions.index(done_one.title)
    assert 'class="overdue"' in actions  # the macro says "overdue" in words, not colour alone


def _count(client, engine, url: str) -> int:
    count = [0]

    def tally(*_args, **_kwargs) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", tally)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", tally)
    return count[0]


def test_my_work_queries_do_not_grow(client, auth, demo, db):
    """More actions and milestones do not mean more queries."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    first = db.session.scalar(select(Action).order_by(Action.key).limit(1))
    first.owner_forum_id = lsg.id
    db.session.commit()
    auth.login(MEMBER, DEMO_PASSWORD)
    client.get("/mitt-arbete")
    before = _count(client, db.engine, "/mitt-arbete")
    for action in db.session.scalars(select(Action).order_by(Action.key).limit(12)):
        action.owner_forum_id = lsg.id
    db.session.commit()
    assert _count(client, db.engine, "/mitt-arbete") <= before + 1


def test_feed_events_remind_seven_days_and_one_day_before(client, auth, demo):
    """Each date carries two display alarms: 08:00 seven days and one day before."""
    path = new_link(client, auth, LEAD)
    event_ = events(client, path)["milestone-fm2025-bp2@samverkansportalen"]
    alarms = event_.walk("VALARM")
    assert [a.decoded("TRIGGER") for a in alarms] == [timedelta(days=-7, hours=8),
                                                      timedelta(days=-1, hours=8)]
    assert all(str(a["ACTION"]) == "DISPLAY" and "BP2" in str(a["DESCRIPTION"]) for a in alarms)


def test_first_link_does_not_claim_an_older_one_stopped(client, auth, demo):
    """The first link offers copying and webcal; only a renewal says the old link stopped."""
    auth.login(LEAD, DEMO_PASSWORD)
    first = client.post("/kalender", data={"csrf_token": auth.csrf_token("/kalender")})
    page = first.get_data(as_text=True)
    assert "äldre länk" not in page and "Kopiera länken" in page
    webcal = re.search(r'href="(webcal://[^"]+\.ics)"', page)
    assert webcal and webcal.group(1).split("://", 1)[1] == FEED_URL.search(page).group(1).split(
        "://", 1)[1]
    second = client.post("/kalender", data={"csrf_token": auth.csrf_token("/kalender")})
    assert "Din äldre länk fungerar inte längre" in second.get_data(as_text=True)


def test_a_stored_absurd_date_does_not_break_the_feed(client, auth, demo, db):
    """An action due 9999-12-31 (stored before dates had a range) is left out; the rest of
    the feed is served (it used to answer 500 with an OverflowError)."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    action = db.session.scalar(select(Action).where(Action.owner_forum_id.is_(None)).limit(1))
    action.owner_forum_id, action.owner_person_id = lsg.id, None
    action.status, action.due_on = "in_progress", date(9999, 12, 31)
    db.session.commit()
    found = events(client, new_link(client, auth, MEMBER))
    assert f"action-{action.key}@samverkansportalen" not in found
    assert found  # the other deadlines are still there
