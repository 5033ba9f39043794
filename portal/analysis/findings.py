"""The finding kinds of ``samverkan-findings/1`` and the steps that produce them.

Each step reads a ``MapIndex`` and a ``Context`` and returns finding dicts (kind, subject keys,
extra fields; the message is added afterwards). ``STEPS`` is public so the benchmark can time
the steps one by one.
"""

from dataclasses import dataclass
from datetime import date

from portal.analysis import coverage, followup, meetings, people, reporting
from portal.analysis.pairwise import parallel_structures
from portal.analysis.representation import Representation
from portal.analysis.settings import Thresholds

# Finding kinds in the order of the table in analysis.md, with the keys naming their subject.
SUBJECT_KEYS = {
    "parallel_structure": ("forums",),
    "uncovered_area": ("area",),
    "missing_principal": ("organisation", "area"),
    "orphan_forum": ("forum",),
    "reporting_cycle": ("forums",),
    "single_point_of_failure": ("person",),
    "overloaded_person": ("person",),
    "unowned_action": ("action",),
    "owner_without_mandate": ("action",),
    "stalled_recommendation": ("recommendation",),
    "overdue_milestone": ("milestone",),
    "overdue_action": ("action",),
    "absent_principal": ("organisation", "forum"),
    "inactive_member": ("person", "forum"),
    "dormant_forum": ("forum",),
    "unapproved_minutes": ("meeting",),
}
KINDS = tuple(SUBJECT_KEYS)
_KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}


@dataclass
class Context:
    """What the steps need besides the map: the as-of date, the exact thresholds, and what
    several steps share (computed by the first step that needs it)."""

    as_of: date
    settings: Thresholds
    _representation: Representation | None = None
    _meetings: meetings.HeldMeetings | None = None

    def representation(self, index):
        """Who represents which principal (shared by the coverage and meeting steps)."""
        if self._representation is None:
            self._representation = Representation(index)
        return self._representation

    def meetings(self, index):
        """The held meetings up to the as-of date (``meetings.HeldMeetings``)."""
        if self._meetings is None:
            self._meetings = meetings.HeldMeetings(
                index.meetings, self.as_of, self.settings.minutes_due_days
            )
        return self._meetings


def parallel_step(index, context):
    """Find parallel structures."""
    return [
        {"kind": "parallel_structure", **pair}
        for pair in parallel_structures(index, context.settings.parallel_min_overlap)
    ]


def coverage_step(index, context):
    """Find uncovered areas and principals missing from covered areas."""
    covering = coverage.covered_areas(index)
    found = [
        {"kind": "uncovered_area", "area": area}
        for area in coverage.uncovered_areas(index, covering)
    ]
    found.extend(
        {
            "kind": "missing_principal",
            "organisation": org,
            "area": area,
            "covering_forum_count": count,
        }
        for org, area, count in coverage.missing_principals(
            index, covering, context.representation(index)
        )
    )
    return found


def reporting_step(index, context):
    """Find orphan forums and reporting cycles."""
    cycles = reporting.reporting_cycles(index)
    found = [
        {"kind": "orphan_forum", "forum": forum, "reason": reason, "chain_end": end}
        for forum, (reason, end) in reporting.orphan_forums(index, cycles).items()
    ]
    found.extend(
        {
            "kind": "reporting_cycle",
            "forums": sorted(cycle),
            "order": cycle,
            "includes_apex": any(forum in index.apex for forum in cycle),
        }
        for cycle in cycles
    )
    return found


def single_point_step(index, context):
    """Find people who are the only link between parts of the network."""
    return [
        {
            "kind": "single_point_of_failure",
            "person": person,
            "cut_off": cut_off,
            "parts": parts,
            "forum_count": len(index.person_forum_ids[person]),
        }
        for person, parts, cut_off in people.single_points_of_failure(index)
    ]


def overload_step(index, context):
    """Find people in many forums."""
    return [
        {"kind": "overloaded_person", "person": person, "forum_count": count}
        for person, count in people.overloaded_people(index, context.settings.overload_min_forums)
    ]


def actions_step(index, context):
    """Find unowned actions, owners without mandate and overdue actions."""
    found = [
        {"kind": "unowned_action", "action": action["key"]}
        for action in followup.unowned_actions(index)
    ]
    found.extend(
        {
            "kind": "owner_without_mandate",
            "action": action["key"],
            owner_field: owner,
            "areas": sorted(action.get("areas") or ()),
        }
        for action, owner_field, owner in followup.owners_without_mandate(index)
    )
    found.extend(
        {
            "kind": "overdue_action",
            "action": action["key"],
            "due": due.isoformat(),
            "days_overdue": (context.as_of - due).days,
            "status": action.get("status") or "planned",
        }
        for action, due in followup.overdue_actions(index, context.as_of)
    )
    return found


def recommendations_step(index, context):
    """Find recommendations that no action realises."""
    return [
        {"kind": "stalled_recommendation", "recommendation": rec["key"]}
        for rec in followup.stalled_recommendations(index)
    ]


def milestones_step(index, context):
    """Find overdue milestones."""
    return [
        {
            "kind": "overdue_milestone",
            "milestone": milestone["key"],
            "commission": milestone.get("commission"),
            "due": due.isoformat(),
            "days_overdue": (context.as_of - due).days,
        }
        for milestone, due in followup.overdue_milestones(index, context.as_of)
    ]


def absent_principal_step(index, context):
    """Find principals who are mostly absent from the meetings of a forum they sit in."""
    settings = context.settings
    return [
        {
            "kind": "absent_principal",
            "organisation": org,
            "forum": forum,
            "meetings": total,
            "attended": attended,
        }
        for org, forum, total, attended in meetings.absent_principals(
            index,
            context.meetings(index),
            context.representation(index),
            settings.participation_min_meetings,
            settings.participation_min_share,
        )
    ]


def inactive_member_step(index, context):
    """Find members absent from the latest meetings of their forum."""
    return [
        {
            "kind": "inactive_member",
            "person": person,
            "forum": forum,
            "last_present": None if last is None else last.isoformat(),
            "last_meetings": context.settings.inactive_after_meetings,
        }
        for person, forum, last in meetings.inactive_members(
            index, context.meetings(index), context.settings.inactive_after_meetings
        )
    ]


def dormant_forum_step(index, context):
    """Find forums with members that have stopped meeting."""
    return [
        {"kind": "dormant_forum", "forum": forum, "last_held": last.isoformat(),
         "days": (context.as_of - last).days}
        for forum, last in meetings.dormant_forums(
            index, context.meetings(index), context.as_of, context.settings.dormant_after_days
        )
    ]


def unapproved_minutes_step(index, context):
    """Find held meetings whose minutes are overdue for approval."""
    return [
        {
            "kind": "unapproved_minutes",
            "meeting": meeting,
            "forum": forum,
            "date": day.isoformat(),
            "days": days,
        }
        for meeting, forum, day, days in context.meetings(index).unapproved
    ]


STEPS = (
    ("parallel_structure", parallel_step),
    ("coverage", coverage_step),
    ("reporting", reporting_step),
    ("single_point_of_failure", single_point_step),
    ("overloaded_person", overload_step),
    ("actions", actions_step),
    ("recommendations", recommendations_step),
    ("milestones", milestones_step),
    ("absent_principal", absent_principal_step),
    ("inactive_member", inactive_member_step),
    ("dormant_forum", dormant_forum_step),
    ("unapproved_minutes", unapproved_minutes_step),
)


def collect(index, context):
    """Run every step and return the findings in contract order (kind, then subject keys)."""
    found = []
    for _name, step in STEPS:
        found.extend(step(index, context))
    found.sort(key=sort_key)
    return found


def sort_key(finding):
    """Order by the kind's place in the table, then by the subject keys (code-point order)."""
    kind = finding["kind"]
    subject = tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (finding[key] for key in SUBJECT_KEYS[kind])
    )
    return _KIND_ORDER[kind], subject
