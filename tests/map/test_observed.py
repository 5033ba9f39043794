"""The observed network beside the formal one: who came to the forums' recorded meetings."""

from __future__ import annotations

import json
from datetime import date

from portal.map.observed import observed_network, overlay
from tests.map.helpers import forum

AS_OF = date(2026, 6, 30)


def _meeting(key, forum_key, day, present, status="held"):
    return {"key": key, "forum": forum_key, "date": day, "status": status, "present": present,
            "minutes_approved_on": None}


def _doc() -> dict:
    """LSG with a member who comes, one who stopped, a co-opted one and a guest; a quiet forum."""
    lsg = forum("lsg", ["anna", "bo"])
    lsg["members"].append({"person": "cilla", "role": "adjunct"})
    return {"forums": [lsg, forum("tyst", ["anna"])], "meetings": [
        _meeting("m1", "lsg", date(2025, 9, 1), ["anna", "bo"]),
        _meeting("m2", "lsg", date(2026, 2, 1), ["anna"]),
        _meeting("m3", "lsg", date(2026, 4, 1), ["anna", "gunnar"]),
        _meeting("m4", "lsg", date(2026, 5, 1), ["anna"]),
        _meeting("m5", "lsg", date(2026, 7, 1), ["bo"]),  # after the as-of date
        _meeting("m6", "lsg", date(2026, 6, 1), None),  # held, attendance not recorded
        _meeting("old", "tyst", date(2025, 6, 30), ["anna"]),  # 365 days before: outside
    ]}


def test_each_membership_and_guest_gets_its_status():
    network = observed_network(_doc(), AS_OF, last_count=3)
    statuses = {p: (e.status, e.attended, e.is_member) for p, e in network.edges["lsg"].items()}
    assert statuses == {
        "anna": ("attending", True, True),
        "bo": ("absent", True, True),  # came in September, not to the latest three
        "cilla": ("on_call", False, True),
        "gunnar": ("guest", True, False),
    }
    assert network.meetings == {"lsg": 4, "tyst": 0}
    assert network.edges["tyst"]["anna"].status == "unrecorded"
    assert network.counts() == {"attending": 1, "absent": 1, "on_call": 1, "guest": 1,
                                "unrecorded": 1}


def test_the_latest_meetings_count_as_the_finding_counts_them():
    """With the four latest, Bo's September meeting is among them: he is attending."""
    network = observed_network(_doc(), AS_OF, last_count=4)
    assert network.edges["lsg"]["bo"].status == "attending"


def _elements():
    node = lambda kind, key: {"group": "nodes", "data": {"id": f"{kind[0]}:{key}", "key": key,  # noqa: E731
                                                         "type": kind}}
    edge = lambda p, f: {"group": "edges", "data": {"id": f"p:{p}>f:{f}", "source": f"p:{p}",  # noqa: E731
                                                    "target": f"f:{f}"}, "classes": "member"}
    return {"nodes": [node("forum", "lsg"), *(node("person", p) for p in ("anna", "bo", "cilla"))],
            "edges": [edge(p, "lsg") for p in ("anna", "bo", "cilla")], "limited": {},
            "focus": {"people": []}}, {"gunnar": node("person", "gunnar")}


def test_difference_classes_every_membership_and_adds_the_guests():
    elements, people = _elements()
    drawn = overlay(elements, observed_network(_doc(), AS_OF, 3), "difference", people)
    classes = {e["data"]["source"]: e["classes"] for e in drawn["edges"]}
    assert classes == {"p:anna": "member attending", "p:bo": "member absent",
                       "p:cilla": "member on-call", "p:gunnar": "member guest"}
    assert "p:gunnar" in {n["data"]["id"] for n in drawn["nodes"]}
    assert drawn["observed"]["counts"]["guest"] == 1


def test_observed_keeps_only_who_came():
    elements, people = _elements()
    drawn = overlay(elements, observed_network(_doc(), AS_OF, 3), "observed", people)
    assert sorted(e["data"]["source"] for e in drawn["edges"]) == ["p:anna", "p:bo", "p:gunnar"]
    assert "p:cilla" not in {n["data"]["id"] for n in drawn["nodes"]}  # never came: not drawn


def _three_meetings_with_one_member_and_a_guest(db):
    """LSG's three latest meetings: one member came each time, with a guest without a seat."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.dates import today
    from portal.models import Attendance, Forum, Meeting, Person

    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    seated = sorted(m.person.key for m in lsg.memberships if m.ended_on is None)
    guest = db.session.scalar(select(Person).where(Person.key.not_in(seated))
                              .order_by(Person.key))
    member = db.session.scalar(select(Person).where(Person.key == seated[0]))
    for n in range(3):
        db.session.add(Meeting(
            key=f"lsg-test-{n}", forum=lsg, meets_on=today() - timedelta(days=7 * (n + 1)),
            status="held", is_attendance_recorded=True,
            attendance=[Attendance(person=member, status="present"),
                        Attendance(person=guest, status="present")]))
    db.session.commit()
    return member.key, guest.key


def test_the_map_data_and_text_view_carry_the_observed_network(client, db, signed_in, demo):
    member, guest = _three_meetings_with_one_member_and_a_guest(db)
    signed_in("leadership")
    formal = json.loads(client.get("/karta/data.json?people=1").get_data())
    assert "observed" not in formal
    # The formal map: reporting lines and memberships (some representing others), no
    # attendance classes.
    assert {c for e in formal["edges"] for c in e["classes"].split()} <= {
        "reports", "member", "represents"}

    difference = json.loads(client.get("/karta/data.json?natverk=skillnad").get_data())
    assert difference["observed"]["mode"] == "difference"
    lsg = {e["data"]["source"][2:]: e["classes"].removesuffix(" represents")
           for e in difference["edges"]
           if e["data"]["target"] == "f:lsg" and e["classes"].startswith("member")}
    assert lsg[member] == "member attending" and lsg[guest] == "member guest"
    assert "member absent" in lsg.values()
    counts = difference["observed"]["counts"]
    assert counts["absent"] == sum(e["classes"].startswith("member absent")
                                   for e in difference["edges"])

    observed = json.loads(client.get("/karta/data.json?natverk=observerad").get_data())
    lsg_seen = {e["data"]["source"][2:] for e in observed["edges"]
                if e["data"]["target"] == "f:lsg" and e["classes"].startswith("member")}
    assert {member, guest} <= lsg_seen
    members = [e for e in observed["edges"] if e["classes"].startswith("member")]
    assert members and all(e["data"]["attended"] for e in members)  # only who came
    assert len(members) < sum(e["classes"].startswith("member") for e in difference["edges"])

    page = client.get("/karta?natverk=skillnad").get_data(as_text=True)
    assert 'name="natverk" value="skillnad" checked' in page
    assert 'class="swatch swatch-absent"' in page and "data-msg-observed" in page
    text = client.get("/karta/text?natverk=skillnad").get_data(as_text=True)
    row = text[text.index('id="forum-lsg"'):]
    row = row[:row.index("</tr>")]
    assert f'href="/personer/{guest}"' in row
    plain = client.get("/karta/text").get_data(as_text=True)
    assert text.count('<th scope="col">') == plain.count('<th scope="col">') + 1
