"""The meeting kinds of the second round, each precise point of analysis.md on a small map."""

import datetime

import pytest

from tests.analysis.helpers import AS_OF, findings, forum, make_doc


def day(offset):
    """The date ``offset`` days before the as-of date (2025-11-01), as text."""
    return (AS_OF - datetime.timedelta(days=offset)).isoformat()


def held(key, forum_key, offset, present=(), **fields):
    """A held meeting ``offset`` days before the as-of date, with its attendance."""
    entry = {"key": key, "forum": forum_key, "date": day(offset), "status": "held",
             "present": list(present) if present is not None else None, **fields}
    if present is None:
        entry.pop("present")
    return entry


ORGS = [
    {"key": "rv", "name": "Region Västerbotten", "kind": "region", "principal": True},
    {"key": "rv-pv", "name": "Primärvården", "kind": "region_unit", "parent": "rv"},
    {"key": "lan", "name": "Länet", "kind": "other"},
    {"key": "dorotea", "name": "Dorotea kommun", "principal": True, "parent": "lan"},
    {"key": "dorotea-so", "name": "Socialtjänsten Dorotea", "parent": "dorotea"},
]
PEOPLE = [
    {"key": "r1", "name": "Rita Region", "organisation": "rv"},
    {"key": "r2", "name": "Rolf Primärvård", "organisation": "rv-pv"},
    {"key": "d1", "name": "Disa Dorotea", "organisation": "dorotea"},
    {"key": "d2", "name": "Dan Socialtjänst", "organisation": "dorotea-so"},
    {"key": "l1", "name": "Lisa Länet", "organisation": "lan"},
    {"key": "x1", "name": "Xena Utanför", "organisation": "rv"},
]


def meeting_map(members, meetings, forums=()):
    """A map with one forum "lsg" of these members and these meetings."""
    return make_doc(organisations=ORGS, people=PEOPLE,
                    forums=[forum("lsg", members, name="Länssamverkansgruppen"), *forums],
                    meetings=meetings)


def absent(doc, **settings):
    return [(f["organisation"], f["forum"], f["meetings"], f["attended"])
            for f in findings(doc, "absent_principal", **settings)]


# absent_principal


def test_principal_present_at_exactly_half_is_not_absent():
    """Half is compared exactly and strictly: 2 of 4 is enough, 1 of 4 is not."""
    members = ["r1", "d1"]
    half = [held(f"m{i}", "lsg", 10 * i, ["r1", "d1"] if i < 2 else ["r1"]) for i in range(4)]
    assert absent(meeting_map(members, half)) == []
    less = [held(f"m{i}", "lsg", 10 * i, ["r1", "d1"] if i < 1 else ["r1"]) for i in range(4)]
    assert absent(meeting_map(members, less)) == [("dorotea", "lsg", 4, 1)]


def test_share_setting_is_compared_exactly():
    """1 of 3 is not below a third, and a share of 0.34 makes it absent."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1", "d1"] if i == 0 else ["r1"])
                for i in range(3)]
    doc = meeting_map(["r1", "d1"], meetings)
    from fractions import Fraction

    assert absent(doc, participation_min_meetings=3, participation_min_share=Fraction(1, 3)) == []
    assert absent(doc, participation_min_meetings=3, participation_min_share=0.34) == [
        ("dorotea", "lsg", 3, 1)
    ]


def test_fewer_recorded_meetings_than_the_minimum_are_not_judged():
    """Three recorded meetings and one without attendance are not four recorded meetings."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1"]) for i in range(3)]
    meetings.append(held("m9", "lsg", 50, None))
    assert absent(meeting_map(["r1", "d1"], meetings)) == []
    assert absent(meeting_map(["r1", "d1"], meetings), participation_min_meetings=3) == [
        ("dorotea", "lsg", 3, 0)
    ]


def test_window_is_the_365_days_up_to_the_as_of_date():
    """A meeting 365 days back is outside the window, 364 days back inside; later ones never."""
    base = [held(f"m{i}", "lsg", 10 * i + 1, ["r1"]) for i in range(3)]
    outside = [*base, held("old", "lsg", 365, ["r1"]),
               held("late", "lsg", -1, ["r1"])]
    assert absent(meeting_map(["r1", "d1"], outside)) == []
    inside = [*base, held("old", "lsg", 364, ["r1"])]
    assert absent(meeting_map(["r1", "d1"], inside)) == [("dorotea", "lsg", 4, 0)]


def test_only_principals_represented_in_the_forum_are_judged():
    """Dorotea has no member in the forum: its absence is missing_principal's business."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1"]) for i in range(4)]
    assert absent(meeting_map(["r1"], meetings)) == []


def test_a_member_from_a_child_organisation_represents_the_parent():
    """Up through one's own organisation: Socialtjänsten Dorotea counts for Dorotea."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1", "d2"]) for i in range(4)]
    assert absent(meeting_map(["r1", "d2"], meetings)) == []
    absent_child = [held(f"m{i}", "lsg", 10 * i, ["r1"]) for i in range(4)]
    assert absent(meeting_map(["r1", "d2"], absent_child)) == [("dorotea", "lsg", 4, 0)]


def test_acting_for_a_parent_represents_its_children_but_not_the_other_way():
    """Down through on_behalf_of: acting for Länet represents Dorotea; acting for
    Socialtjänsten Dorotea (a child) does not represent Dorotea."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1", "l1"]) for i in range(4)]
    for_parent = [{"person": "r1", "role": "member"},
                  {"person": "l1", "role": "member", "on_behalf_of": ["lan"]}]
    assert absent(meeting_map(for_parent, meetings)) == []
    # The member acting for the parent is absent: Dorotea is absent.
    away = [held(f"m{i}", "lsg", 10 * i, ["r1"]) for i in range(4)]
    assert absent(meeting_map(for_parent, away)) == [("dorotea", "lsg", 4, 0)]
    for_child = [{"person": "r1", "role": "member"},
                 {"person": "l1", "role": "member", "on_behalf_of": ["dorotea-so"]}]
    assert absent(meeting_map(for_child, away)) == []  # Dorotea is not represented at all


def test_apologies_are_not_presence():
    """Sending apologies (anmält förhinder) is not being present."""
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1"], apologies=["d1"]) for i in range(4)]
    assert absent(meeting_map(["r1", "d1"], meetings)) == [("dorotea", "lsg", 4, 0)]


def test_a_present_non_member_represents_only_through_their_own_organisation():
    """Lisa acts for Länet in another forum; at this forum's meetings she is a guest from
    Länet, which is not below Dorotea, so Dorotea stays absent. A guest from Dorotea counts."""
    other = forum("ag", [{"person": "l1", "role": "member", "on_behalf_of": ["lan"]}])
    guest = [held(f"m{i}", "lsg", 10 * i, ["r1", "l1"]) for i in range(4)]
    assert absent(meeting_map(["r1", "d2"], guest, [other])) == [("dorotea", "lsg", 4, 0)]
    own = [held(f"m{i}", "lsg", 10 * i, ["r1", "d1"]) for i in range(4)]
    assert absent(meeting_map(["r1", "d2"], own, [other])) == []


def test_adjuncts_represent_their_organisation():
    """An adjunct (adjungerad) counts for their organisation's presence."""
    members = ["r1", {"person": "d1", "role": "adjunct"}]
    meetings = [held(f"m{i}", "lsg", 10 * i, ["r1"]) for i in range(4)]
    assert absent(meeting_map(members, meetings)) == [("dorotea", "lsg", 4, 0)]


# inactive_member


def inactive(doc, **settings):
    return [(f["person"], f["forum"], f["last_present"])
            for f in findings(doc, "inactive_member", **settings)]


def test_member_absent_from_the_last_three_is_inactive_with_last_present():
    """last_present is not limited to the window; None when never present."""
    meetings = [held("old", "lsg", 400, ["r1", "r2"]),
                *(held(f"m{i}", "lsg", 10 * i, ["d1"]) for i in range(3))]
    assert inactive(meeting_map(["r1", "r2", "d1", "d2"], meetings)) == [
        ("d2", "lsg", None), ("r1", "lsg", day(400)), ("r2", "lsg", day(400)),
    ]


def test_present_at_one_of_the_last_three_is_not_inactive():
    """Coming to the third-latest meeting is enough; apologies are not."""
    meetings = [held("m0", "lsg", 5, ["d1"], apologies=["r1"]), held("m1", "lsg", 15, ["d1"]),
                held("m2", "lsg", 25, ["d1", "r1"]), held("m3", "lsg", 35, ["d1"])]
    assert inactive(meeting_map(["r1", "d1"], meetings)) == []
    assert inactive(meeting_map(["r1", "d1"], meetings), inactive_after_meetings=2) == [
        ("r1", "lsg", day(25))
    ]


def test_fewer_recorded_meetings_in_the_window_than_the_setting_are_not_judged():
    """Two recorded meetings in the window (and one before it) are not three."""
    meetings = [held("m0", "lsg", 5, ["d1"]), held("m1", "lsg", 15, ["d1"]),
                held("old", "lsg", 365, ["d1"]), held("nr", "lsg", 20, None)]
    assert inactive(meeting_map(["r1", "d1"], meetings)) == []


def test_meetings_on_one_date_are_ordered_by_key():
    """Of two meetings on the latest date the greater key is the later one."""
    meetings = [held("m-a", "lsg", 5, ["r1"]), held("m-b", "lsg", 5, ["d1"]),
                held("m-0", "lsg", 30, ["r1", "d1"])]
    assert inactive(meeting_map(["r1", "d1"], meetings), inactive_after_meetings=1) == [
        ("r1", "lsg", day(5))
    ]


def test_meetings_after_the_as_of_date_never_count():
    """A later meeting is not among the last three, and not a last_present either."""
    meetings = [held(f"m{i}", "lsg", 10 * i + 1, ["d1"]) for i in range(3)]
    meetings.append(held("next", "lsg", -3, ["r1"]))
    assert inactive(meeting_map(["r1", "d1"], meetings)) == [("r1", "lsg", None)]


def test_adjuncts_are_never_inactive():
    """Adjuncts attend when called, so missing meetings is no finding."""
    members = ["d1", {"person": "r1", "role": "adjunct"}]
    meetings = [held(f"m{i}", "lsg", 10 * i, ["d1"]) for i in range(3)]
    assert inactive(meeting_map(members, meetings)) == []


# dormant_forum


def dormant(doc, **settings):
    return [(f["forum"], f["last_held"]) for f in findings(doc, "dormant_forum", **settings)]


@pytest.mark.parametrize(("offset", "expected"), [(183, True), (182, False)])
def test_dormant_after_183_days_without_a_held_meeting(offset, expected):
    """as-of − 183 days < date ≤ as-of: a meeting exactly 183 days back is too old."""
    doc = meeting_map(["r1"], [held("m", "lsg", offset, None), held("old", "lsg", 400, None)])
    assert dormant(doc) == ([("lsg", day(offset))] if expected else [])


def test_dormant_needs_members_and_an_earlier_meeting():
    """A forum without members, or one that never met, is not dormant."""
    doc = make_doc(forums=[forum("tom", []), forum("ny", ["p1"])],
                   meetings=[held("m", "tom", 300, None)])
    assert dormant(doc) == []


def test_planned_cancelled_and_later_meetings_do_not_wake_a_forum():
    """Only held meetings up to the as-of date count; one without attendance does."""
    meetings = [held("old", "lsg", 300, ["r1"]),
                {"key": "p", "forum": "lsg", "date": day(10), "status": "planned"},
                {"key": "c", "forum": "lsg", "date": day(20), "status": "cancelled"},
                held("late", "lsg", -5, ["r1"])]
    assert dormant(meeting_map(["r1"], meetings)) == [("lsg", day(300))]
    awake = [*meetings, held("nr", "lsg", 30, None)]
    assert dormant(meeting_map(["r1"], awake)) == []


def test_adjuncts_are_members_for_dormant_forums():
    """A forum whose only member is an adjunct still has a member."""
    doc = meeting_map([{"person": "r1", "role": "adjunct"}], [held("m", "lsg", 200, None)])
    assert dormant(doc) == [("lsg", day(200))]
    assert dormant(doc, dormant_after_days=201) == []


# unapproved_minutes


def unapproved(doc, **settings):
    return [(f["meeting"], f["days"]) for f in findings(doc, "unapproved_minutes", **settings)]


def test_minutes_are_due_after_more_than_14_days():
    """14 days after the meeting is not late yet; 15 days is."""
    doc = meeting_map(["r1"], [held("m14", "lsg", 14, None), held("m15", "lsg", 15, None)])
    assert unapproved(doc) == [("m15", 15)]
    assert unapproved(doc, minutes_due_days=13) == [("m14", 14), ("m15", 15)]


def test_approval_on_the_as_of_date_counts_and_a_later_one_does_not():
    """Approved on the as-of date: approved. Approved the day after: not yet by the as-of date."""
    meetings = [held("on", "lsg", 30, ["r1"], minutes_approved_on=day(0)),
                held("after", "lsg", 30, ["r1"], minutes_approved_on=day(-1)),
                held("named", "lsg", 30, ["r1"], minutes_approved_by=["r1"])]
    assert unapproved(meeting_map(["r1"], meetings)) == [("after", 30), ("named", 30)]


def test_only_held_meetings_in_the_window_count():
    """Planned, cancelled, later and older-than-the-window meetings never count; a held meeting
    without attendance does."""
    meetings = [{"key": "p", "forum": "lsg", "date": day(40), "status": "planned"},
                {"key": "c", "forum": "lsg", "date": day(40), "status": "cancelled"},
                held("late", "lsg", -20, None), held("old", "lsg", 365, None),
                held("edge", "lsg", 364, None)]
    assert unapproved(meeting_map(["r1"], meetings)) == [("edge", 364)]


def test_unapproved_minutes_name_their_forum_and_date():
    """The finding carries the meeting's forum and date for its message and links."""
    (finding,) = findings(meeting_map(["r1"], [held("m", "lsg", 20, None)]),
                          "unapproved_minutes")
    assert finding == {"kind": "unapproved_minutes", "meeting": "m", "forum": "lsg",
                       "date": day(20), "days": 20}


# missing_principal through on_behalf_of


def missing(doc):
    return [(f["organisation"], f["area"]) for f in findings(doc, "missing_principal")]


@pytest.mark.parametrize(("acting_for", "dorotea_missing"), [
    ([], True), (["dorotea"], False), (["lan"], False), (["dorotea-so"], True),
])
def test_missing_principal_counts_on_behalf_of(acting_for, dorotea_missing):
    """Acting for Dorotea or for an organisation above it represents Dorotea; acting for one
    below it does not."""
    member = {"person": "r1", "role": "member", "on_behalf_of": acting_for}
    doc = make_doc(organisations=ORGS, people=PEOPLE, areas=["a1"],
                   forums=[forum("lsg", [member])])
    expected = [("dorotea", "a1")] if dorotea_missing else []
    assert missing(doc) == expected


def test_on_behalf_of_counts_only_in_that_forum():
    """Acting for Dorotea in one forum does not represent it in another forum's area."""
    doc = make_doc(
        organisations=ORGS, people=PEOPLE, areas=["a1", "a2"],
        forums=[forum("f1", [{"person": "r1", "role": "member", "on_behalf_of": ["dorotea"]}],
                      ["a1"]),
                forum("f2", ["r1"], ["a2"])])
    assert missing(doc) == [("dorotea", "a2")]


# messages


def test_meeting_findings_have_messages_in_both_languages():
    """Each new kind names the forum (and person or organisation) by name in sv and en."""
    from portal.analysis.core import analyze

    meetings = [held(f"m{i}", "lsg", 10 * i + 20, ["r1"]) for i in range(4)]
    doc = meeting_map(["r1", "d1"], meetings, [forum("vilande", ["r1"], name="Vilande rådet")])
    doc["meetings"].extend(make_doc(meetings=[held("v", "vilande", 300, None,
                                                   minutes_approved_on=day(290))])["meetings"])
    sv, en = {}, {}  # the first message of each kind
    for lang, found in (("sv", sv), ("en", en)):
        for finding in analyze(doc, AS_OF, lang=lang)["findings"]:
            found.setdefault(finding["kind"], finding["message"])
    assert "Dorotea kommun" in sv["absent_principal"] and "0 av forumets 4" in sv[
        "absent_principal"]
    assert "present at only 0 of its 4 meetings" in en["absent_principal"]
    assert sv["inactive_member"].startswith("Disa Dorotea (Dorotea kommun) har inte varit med")
    assert "”Länssamverkansgruppen”" in sv["inactive_member"]
    assert "”Vilande rådet” har inte haft något möte sedan" in sv["dormant_forum"]
    assert "300 dagar" in sv["dormant_forum"] and "300 days" in en["dormant_forum"]
    assert "inte justerat, 20 dagar efter mötet" in sv["unapproved_minutes"]
    assert "not approved, 20 days after the meeting" in en["unapproved_minutes"]
