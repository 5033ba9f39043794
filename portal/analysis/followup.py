"""Follow-up checks on actions, recommendations and milestones."""

from portal.analysis.dates import as_date
from portal.analysis.index import is_open


def unowned_actions(index):
    """Return the open actions that have neither an owner person nor an owner forum."""
    return [
        action
        for action in index.actions
        if is_open(action) and not action.get("owner_person") and not action.get("owner_forum")
    ]


def owners_without_mandate(index):
    """Return ``(action, owner kind, owner key)`` for open actions whose owner lacks a mandate.

    With both owners set only the owner forum is judged.
    """
    person_areas = {}
    found = []
    for action in index.actions:
        areas = set(action.get("areas") or ())
        if not areas or not is_open(action):
            continue
        forum, person = action.get("owner_forum"), action.get("owner_person")
        if forum:
            if not areas & index.forum_areas.get(forum, set()):
                found.append((action, "owner_forum", forum))
        elif person:
            if person not in person_areas:
                person_areas[person] = set().union(
                    *(index.forum_areas[f] for f in index.forums_of(person))
                )
            if not areas & person_areas[person]:
                found.append((action, "owner_person", person))
    return found


def stalled_recommendations(index):
    """Return the recommendations that no action (of any status) realises."""
    realised = {action.get("recommendation") for action in index.actions}
    return [rec for rec in index.recommendations if rec["key"] not in realised]


def overdue_milestones(index, as_of):
    """Return ``(milestone, due)`` for milestones not done whose due date is before ``as_of``."""
    found = []
    for milestone in index.milestones:
        due = as_date(milestone.get("due"))
        if milestone.get("done_on") is None and due is not None and due < as_of:
            found.append((milestone, due))
    return found


def overdue_actions(index, as_of):
    """Return ``(action, due)`` for open actions whose due date is before ``as_of``."""
    found = []
    for action in index.actions:
        due = as_date(action.get("due"))
        if due is not None and due < as_of and is_open(action):
            found.append((action, due))
    return found
