"""The live-portal harness itself: gunicorn serves the test database and requests overlap."""

from __future__ import annotations


def test_requests_made_at_once_are_served_at_once(live_portal):
    """Several signed-in clients hit the portal together; every answer is a real page."""
    from portal.demo.loader import DEMO_PASSWORD, load_demo

    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in("ledning@example.org", DEMO_PASSWORD, times=4)
    answers = live_portal.at_once([lambda c=c: c.get("/forum") for c in clients])
    assert [a.status_code for a in answers] == [200] * 4
    assert all("Länssamverkansgruppen" in a.text for a in answers)
