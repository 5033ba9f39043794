"""Area coverage: areas no forum has, and principals missing from an area's forums."""


def covered_areas(index):
    """Return ``{area: forum ids}``: every area named by some forum, with the forums naming it."""
    covering = {}
    for forum_id, forum in enumerate(index.forum_keys):
        for area in index.forum_areas[forum]:
            covering.setdefault(area, []).append(forum_id)
    return covering


def uncovered_areas(index, covering):
    """Return the keys of the areas that no forum has, sorted."""
    return sorted(area for area in index.areas if area not in covering)


def missing_principals(index, covering, representation):
    """Return ``(organisation, area, forum_count)`` for each principal absent from a covered area.

    A member represents their own organisation and every organisation above it (following
    ``parent``), and the organisations their membership lists in ``on_behalf_of`` with every
    organisation below those; a member from a parent organisation does not count for its
    children (see ``representation``).
    """
    principals = sorted(representation.principals)
    if not principals:
        return []
    keys = index.forum_keys
    forum_reps = [None] * len(keys)
    missing = []
    for area in sorted(covering):
        represented = set()
        for forum_id in covering[area]:
            found = forum_reps[forum_id]
            if found is None:
                found = forum_reps[forum_id] = representation.forum(keys[forum_id])
            represented |= found
        missing.extend(
            (org, area, len(covering[area])) for org in principals if org not in represented
        )
    missing.sort()
    return missing
