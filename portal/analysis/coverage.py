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


def missing_principals(index, covering):
    """Return ``(organisation, area, forum_count)`` for each principal absent from a covered area.

    A member counts for their own organisation and every organisation above it (following
    ``parent``); a member from a parent organisation does not count for its children.
    """
    principals = sorted(key for key, org in index.organisations.items() if org.get("principal"))
    if not principals:
        return []
    # Walk people rather than memberships: one organisation lookup per person.
    forum_orgs = [set() for _ in index.forum_keys]
    people = index.people
    for person, forum_ids in index.person_forum_ids.items():
        entry = people.get(person)
        org = entry.get("organisation") if entry else None
        if org is not None:
            for forum_id in forum_ids:
                forum_orgs[forum_id].add(org)
    ancestors = {}
    missing = []
    for area in sorted(covering):
        member_orgs = set()
        for forum in covering[area]:
            member_orgs |= forum_orgs[forum]
        represented = set()
        for org in member_orgs:
            represented |= index.ancestors_or_self(org, ancestors)
        missing.extend(
            (org, area, len(covering[area])) for org in principals if org not in represented
        )
    missing.sort()
    return missing
