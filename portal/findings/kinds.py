"""The finding kinds in words: names, why each matters, and how serious it is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Groups for readers, most serious first: where nobody is responsible, then overlaps, then
# people the structure depends on, then promises that are late.
GROUPS = (
    ("gaps", _l("Nobody is responsible"),
     ("uncovered_area", "missing_principal", "unowned_action", "owner_without_mandate",
      "orphan_forum")),
    ("overlaps", _l("Parallel structures and unclear reporting"),
     ("parallel_structure", "reporting_cycle")),
    ("people", _l("The structure depends on a few people"),
     ("single_point_of_failure", "overloaded_person")),
    ("followup", _l("Promises that are late or stalled"),
     ("stalled_recommendation", "overdue_milestone", "overdue_action")),
    ("meetings", _l("How forums actually meet"),
     ("absent_principal", "dormant_forum", "inactive_member", "unapproved_minutes")),
)

NAMES = {
    "parallel_structure": _l("Parallel structures"),
    "uncovered_area": _l("Focus areas without a forum"),
    "missing_principal": _l("Principals missing from an area"),
    "orphan_forum": _l("Forums that report to no top body"),
    "reporting_cycle": _l("Reporting lines that go round in a circle"),
    "single_point_of_failure": _l("People who are the only link"),
    "overloaded_person": _l("People in very many forums"),
    "unowned_action": _l("Actions without an owner"),
    "owner_without_mandate": _l("Action owners without a mandate"),
    "stalled_recommendation": _l("Recommendations nobody is acting on"),
    "overdue_milestone": _l("Overdue milestones"),
    "overdue_action": _l("Overdue actions"),
    "absent_principal": _l("Principals mostly absent from a forum's meetings"),
    "inactive_member": _l("Members who no longer attend"),
    "dormant_forum": _l("Forums that have stopped meeting"),
    "unapproved_minutes": _l("Minutes not approved in time"),
}

WHY = {
    "parallel_structure": _l(
        "Two forums with largely the same members and the same focus area do the same work "
        "twice. The region's own review found such parallel structures; merging them or "
        "dividing their mandates saves time and makes it clear where a question belongs."),
    "uncovered_area": _l(
        "No forum has a mandate for this focus area of the national ordinance, so nobody "
        "answers for its part of close care."),
    "missing_principal": _l(
        "Close care is shared between the region and the municipalities. When a principal "
        "has no one in any forum of an area, its part of the responsibility falls between "
        "the chairs."),
    "orphan_forum": _l(
        "The forum's reporting line never reaches a top body, so its results have nowhere to "
        "go and its mandate is unclear."),
    "reporting_cycle": _l(
        "The forums report to each other in a circle, so no one of them has the last word."),
    "single_point_of_failure": _l(
        "This person is the only link between parts of the structure. If they leave, forums "
        "lose contact with each other."),
    "overloaded_person": _l(
        "A person in very many forums becomes a bottleneck, and the forums depend on their "
        "time."),
    "unowned_action": _l(
        "An open action without an owner is a promise nobody has to keep."),
    "owner_without_mandate": _l(
        "The owner of the action has no mandate for its focus area, so it may lack the "
        "standing to carry it out."),
    "stalled_recommendation": _l(
        "No action realises the recommendation, so it stays on paper."),
    "overdue_milestone": _l(
        "A decision point of the commission has passed without being reached."),
    "overdue_action": _l(
        "The deadline has passed and the action is still open."),
    "absent_principal": _l(
        "The principal has a seat in the forum but is seldom at its meetings, so what is "
        "agreed there is agreed without it."),
    "inactive_member": _l(
        "A member who has missed the latest meetings holds a seat that someone else could "
        "use, and the forum may think a party is on board when it is not."),
    "dormant_forum": _l(
        "The forum has members and a mandate but has not met for half a year, so its part of "
        "the structure exists only on paper."),
    "unapproved_minutes": _l(
        "Until the minutes are approved (justerade) the record of what the meeting decided "
        "is not settled."),
}
