import pytest

from tests.analysis.helpers import AS_OF, findings, forum, make_doc, subjects

DAY_BEFORE = "2025-10-31"


@pytest.mark.parametrize(
    "status, reported",
    [(None, True), ("planned", True), ("in_progress", True), ("blocked", True),
     ("done", False), ("cancelled", False)],
)
def test_open_action_without_owner_is_unowned(status, reported):
    """Open actions (absent status = planned) without owner are reported; closed ones are not."""
    doc = make_doc(actions=[{"key": "a1", "status": status}])
    assert subjects(doc, "unowned_action") == (["a1"] if reported else [])


def test_action_with_an_owner_is_not_unowned():
    """An owner person or an owner forum is enough."""
    doc = make_doc(
        forums=[forum("f1")],
        actions=[{"key": "a1", "owner_person": "p1"}, {"key": "a2", "owner_forum": "f1"}],
    )
    assert subjects(doc, "unowned_action") == []


def mandate_map(**action):
    """A forum f1 with area a1 and member p1, a forum f2 with area a2, and one action."""
    return make_doc(
        forums=[forum("f1", ["p1"], areas=["a1"]), forum("f2", ["p2"], areas=["a2"])],
        actions=[{"key": "a1", "areas": ["a1"], **action}],
    )


def test_owner_forum_without_the_area_has_no_mandate():
    """An owner forum that lacks all the action's areas is reported."""
    assert findings(mandate_map(owner_forum="f2"), "owner_without_mandate") == [
        {"kind": "owner_without_mandate", "action": "a1", "owner_forum": "f2", "areas": ["a1"]}
    ]


def test_owner_person_outside_the_area_has_no_mandate():
    """An owner person in no forum with the area is reported; a member of one is not."""
    assert findings(mandate_map(owner_person="p2"), "owner_without_mandate") == [
        {"kind": "owner_without_mandate", "action": "a1", "owner_person": "p2", "areas": ["a1"]}
    ]
    assert findings(mandate_map(owner_person="p1"), "owner_without_mandate") == []


def test_with_both_owners_only_the_forum_is_judged():
    """A forum with mandate clears the action; a forum without mandate is reported anyway."""
    assert subjects(mandate_map(owner_forum="f1", owner_person="p2"), "owner_without_mandate") == []
    assert findings(mandate_map(owner_forum="f2", owner_person="p1"), "owner_without_mandate") == [
        {"kind": "owner_without_mandate", "action": "a1", "owner_forum": "f2", "areas": ["a1"]}
    ]


def test_mandate_for_any_one_of_the_areas_is_enough():
    """An owner with a mandate for one of several areas is fine."""
    doc = make_doc(
        forums=[forum("f1", ["p1"], areas=["a2"])],
        actions=[{"key": "a1", "areas": ["a1", "a2"], "owner_forum": "f1"}],
    )
    assert findings(doc, "owner_without_mandate") == []


def test_mandate_is_not_judged_without_areas_or_for_closed_actions():
    """Actions without areas, and done or cancelled actions, are never reported."""
    doc = make_doc(
        forums=[forum("f1", areas=["a2"])],
        actions=[
            {"key": "a1", "owner_forum": "f1"},
            {"key": "a2", "owner_forum": "f1", "areas": ["a1"], "status": "done"},
            {"key": "a3", "owner_forum": "f1", "areas": ["a1"], "status": "cancelled"},
        ],
    )
    assert findings(doc, "owner_without_mandate") == []


def test_recommendation_without_action_is_stalled():
    """Only recommendations no action refers to are stalled; done and cancelled actions count."""
    doc = make_doc(
        recommendations=["r1", "r2", "r3", "r4"],
        actions=[
            {"key": "a1", "recommendation": "r2", "status": "done", "owner_person": "p"},
            {"key": "a2", "recommendation": "r3", "status": "cancelled", "owner_person": "p"},
            {"key": "a3", "recommendation": "r4", "owner_person": "p"},
        ],
    )
    assert findings(doc, "stalled_recommendation") == [
        {"kind": "stalled_recommendation", "recommendation": "r1"}
    ]


def test_milestone_overdue_only_strictly_before_as_of_and_when_not_done():
    """Due the day before is overdue; due on the as-of date is not; any done_on clears it."""
    doc = make_doc(
        commissions=["c1"],
        milestones=[
            {"key": "m1", "due": DAY_BEFORE},
            {"key": "m2", "due": AS_OF.isoformat()},
            {"key": "m3", "due": "2025-01-01", "done_on": "2025-12-24"},
        ],
    )
    assert findings(doc, "overdue_milestone") == [
        {"kind": "overdue_milestone", "milestone": "m1", "commission": "c1",
         "due": DAY_BEFORE, "days_overdue": 1}
    ]


def test_action_overdue_only_when_open_and_strictly_before_as_of():
    """Open actions due before the as-of date are overdue; no due, due today or done are not."""
    owner = {"owner_person": "p1"}
    doc = make_doc(
        actions=[
            {"key": "a1", "due": "2025-10-01", **owner},
            {"key": "a2", "due": AS_OF.isoformat(), **owner},
            {"key": "a3", **owner},
            {"key": "a4", "due": "2025-10-01", "status": "done", **owner},
            {"key": "a5", "due": "2025-10-01", "status": "blocked", **owner},
        ]
    )
    assert findings(doc, "overdue_action") == [
        {"kind": "overdue_action", "action": "a1", "due": "2025-10-01", "days_overdue": 31,
         "status": "planned"},
        {"kind": "overdue_action", "action": "a5", "due": "2025-10-01", "days_overdue": 31,
         "status": "blocked"},
    ]
