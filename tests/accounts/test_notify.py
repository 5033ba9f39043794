"""`flask notify`: reminders, the weekly digest, preferences; running twice sends once."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import (
    Action,
    Commission,
    Forum,
    ForumMembership,
    Milestone,
    NotificationSent,
    Organisation,
    Person,
)
from portal.notify import services as notify
from tests.helpers import csrf_token

SETTINGS = "https://samverkan.example.se/konto/aviseringar"


@pytest.fixture
def work(db, make_user):
    """A commission with a milestone, a forum owning an action; accounts for some people."""
    org = Organisation(key="rvb", name="Region Västerbotten", kind="region")
    people = {key: Person(key=key, name=name, organisation=org) for key, name in (
        ("lead", "Maja Lind"), ("chair", "Olof Berg"), ("secretary", "Sara Nyström"),
        ("member", "Pål Utan Konto"))}
    forum = Forum(key="lsg", name="Länsstyrgrupp", kind="steering", level="county")
    forum.memberships = [ForumMembership(person=people["chair"], role="chair"),
                         ForumMembership(person=people["secretary"], role="secretary"),
                         ForumMembership(person=people["member"], role="member")]
    commission = Commission(key="c1", title="Uppdrag nära vård", lead=people["lead"])
    db.session.add_all([org, forum, commission, *people.values(),
                        Milestone(key="m1", commission=commission, code="BP1",
                                  title="Plan klar", due_on=date(2025, 10, 8)),
                        Action(key="a1", title="Ta fram rutin", commission=commission,
                               owner_forum=forum, due_on=date(2025, 10, 2))])
    db.session.commit()
    users = {
        "lead": make_user("commission_lead", email="maja@region.example", person=people["lead"]),
        "chair": make_user("forum_member", email="olof@region.example", person=people["chair"]),
        "secretary": make_user("forum_member", email="sara@region.example",
                               person=people["secretary"]),
    }
    users["chair"].locale = "en"
    db.session.commit()
    return users


def _run(runner, moment: str) -> str:
    result = runner.invoke(args=["notify", "--now", moment])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminder_as_it_happens_goes_once(runner, work, smtp):
    """The lead asked for reminders as they happen: seven days before, one mail, once."""
    notify.save_preferences(work["lead"], {"due_soon": "instant"})
    _run(runner, "2025-10-01T08:00")
    [mail] = smtp.to("maja@region.example")
    assert "BP1 Plan klar" in mail["Subject"] and "2025-10-08" in notify_text(smtp, mail)
    assert "om 7 dagar" in notify_text(smtp, mail)
    assert SETTINGS in notify_text(smtp, mail) and SETTINGS in smtp.html(mail)
    _run(runner, "2025-10-01T08:05")
    _run(runner, "2025-10-03T08:00")  # still the seven-day reminder: nothing new
    assert len(smtp.to("maja@region.example")) == 1
    _run(runner, "2025-10-07T08:00")  # one day before
    assert "om 1 dag" in notify_text(smtp, smtp.to("maja@region.example")[-1])


def test_owner_forum_chair_and_secretary_get_the_weekly_digest_in_their_language(
        runner, work, smtp, db):
    out = _run(runner, "2025-10-01T08:00")  # a Wednesday: waits for Monday
    assert smtp.messages == [] and "0 digests" in out
    _run(runner, "2025-10-06T06:59")  # Monday, before seven: not yet
    assert smtp.messages == []
    _run(runner, "2025-10-06T07:10")
    [chair] = smtp.to("olof@region.example")
    [secretary] = smtp.to("sara@region.example")
    assert chair["Subject"] == "Your week in Samverkansportalen (2025-W41)"
    assert "Action Ta fram rutin is due on 2025-10-02" in notify_text(smtp, chair)
    assert "Åtgärden Ta fram rutin ska vara klar 2025-10-02" in notify_text(smtp, secretary)
    assert "Overdue" in notify_text(smtp, chair)  # by Monday the action is overdue
    assert SETTINGS in notify_text(smtp, chair)
    # The member without an account gets nothing; the lead has nothing in a digest yet
    # other than the milestone reminder.
    recipients = {m["To"] for m in smtp.messages}
    assert recipients <= {"olof@region.example", "sara@region.example", "maja@region.example"}
    before = len(smtp.messages)
    _run(runner, "2025-10-06T07:15")
    assert len(smtp.messages) == before
    assert db.session.query(NotificationSent).filter_by(sent_at=None).count() == 0


def test_turned_off_kinds_send_nothing(runner, work, smtp):
    for user in work.values():
        notify.save_preferences(user, {"due_soon": "off", "overdue": "off",
                                       "new_findings": "off"})
    _run(runner, "2025-10-01T08:00")
    _run(runner, "2025-10-06T07:10")
    assert smtp.messages == []


def test_settings_page_saves_a_choice(client, signed_in, db):
    user = signed_in("viewer")
    page = client.get("/konto/aviseringar").get_data(as_text=True)
    assert 'name="due_soon"' in page and "I veckobrevet" in page
    token = csrf_token(client, "/konto/aviseringar")
    from portal.notify.registry import kinds

    every = {k.name: k.default for k in kinds()}  # other areas (meetings) add their kinds
    response = client.post("/konto/aviseringar", data={
        **every, "due_soon": "instant", "overdue": "off", "new_findings": "digest",
        "csrf_token": token})
    assert response.status_code == 302
    assert notify.preferences(user)["due_soon"] == "instant"
    bad = client.post("/konto/aviseringar", data={"due_soon": "sometimes", "csrf_token": token})
    assert bad.status_code == 422
    assert notify.preferences(user)["due_soon"] == "instant"


def notify_text(smtp, mail) -> str:
    return smtp.text(mail)


def test_another_area_adds_a_kind_that_goes_out_as_it_happens(runner, work, smtp):
    """A kind registered elsewhere (as meetings will: minutes to approve) is sent by the same
    run, to accounts only, once, and appears on the settings page."""
    from portal.notify.registry import KINDS, Kind, Notice, register

    def minutes_waiting(now):
        yield Notice(work["chair"].id, "minutes:lsg-2025-10-01", {"forum": "Länsstyrgrupp"},
                     "https://samverkan.example.se/forum/lsg")
        yield Notice(999_999, "minutes:lsg-2025-10-01", {"forum": "x"})  # no such account

    meetings_kind = KINDS.get("minutes_to_approve")  # portal/meetings registers the real one
    register(Kind("minutes_to_approve", "Minutes waiting for your approval", "instant",
                  minutes_waiting, lambda n: f"Minutes of {n.params['forum']} wait for you"))
    try:
        _run(runner, "2025-10-01T08:00")
        _run(runner, "2025-10-01T08:05")
        [mail] = [m for m in smtp.to("olof@region.example") if "Minutes" in m["Subject"]]
        assert "https://samverkan.example.se/forum/lsg" in notify_text(smtp, mail)
        assert notify.preferences(work["chair"])["minutes_to_approve"] == "instant"
    finally:
        KINDS.pop("minutes_to_approve", None)
        if meetings_kind is not None:
            register(meetings_kind)
