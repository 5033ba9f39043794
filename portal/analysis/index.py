"""An indexed, read-only view of a normalized ``samverkan/1`` document.

The analysis builds this once and every check reads from it, so the document is walked a single
time. It reads the normalized shape (every list and optional field present, as the exporter
writes a map), but tolerates absent lists and
fields (``.get`` with defaults) so that small hand-built maps work too.
"""

from portal.analysis.meeting_table import MeetingTable

OPEN_EXCLUDED = frozenset({"done", "cancelled"})


def entries(doc, name):
    """Return the list ``name`` of the document, or an empty list when it is absent."""
    return doc.get(name) or []


def is_open(action):
    """Tell whether an action is open: its status is not done or cancelled (absent = planned)."""
    return action.get("status") not in OPEN_EXCLUDED


class MapIndex:
    """Lookups over one collaboration map: members, areas, reporting lines, owners, names."""

    def __init__(self, doc):
        self.organisations = {o["key"]: o for o in entries(doc, "organisations")}
        self.people = {p["key"]: p for p in entries(doc, "people")}
        self.areas = {a["key"]: a for a in entries(doc, "areas")}
        self.forums = {f["key"]: f for f in entries(doc, "forums")}
        self.commissions = {c["key"]: c for c in entries(doc, "commissions")}
        self.milestones = entries(doc, "milestones")
        self.recommendations = entries(doc, "recommendations")
        self.actions = entries(doc, "actions")
        self.meetings = MeetingTable.of(doc.get("meetings"))
        self._by_key = {}

        self.forum_keys = sorted(self.forums)
        self.members = {}
        # Per forum: {person: membership entry} (role, on_behalf_of), adjuncts included.
        self.memberships = {}
        self.forum_areas = {}
        self.reports_to = {}
        self.apex = set()
        person_forums = {}
        for forum_id, key in enumerate(self.forum_keys):
            forum = self.forums[key]
            seats = {m["person"]: m for m in forum.get("members") or ()}
            members = set(seats)
            self.members[key] = members
            self.memberships[key] = seats
            self.forum_areas[key] = set(forum.get("areas") or ())
            self.reports_to[key] = forum.get("reports_to")
            if forum.get("apex"):
                self.apex.add(key)
            for person in members:
                if person in person_forums:
                    person_forums[person].append(forum_id)
                else:
                    person_forums[person] = [forum_id]
        # Forum ids are positions in ``forum_keys``; each person's list is in ascending order.
        self.person_forum_ids = person_forums

    def forums_of(self, person):
        """Return the keys of the forums a person is a member of, in key order."""
        keys = self.forum_keys
        return [keys[forum_id] for forum_id in self.person_forum_ids.get(person, ())]

    # Names, for messages: an entity's name, falling back to its key.

    def forum_name(self, key):
        """Return the forum's name."""
        return _name(self.forums.get(key), "name", key)

    def person_name(self, key):
        """Return the person's name."""
        return _name(self.people.get(key), "name", key)

    def organisation_name(self, key):
        """Return the organisation's name."""
        return _name(self.organisations.get(key), "name", key)

    def person_organisation(self, key):
        """Return the organisation key of a person, or None."""
        person = self.people.get(key)
        return person.get("organisation") if person else None

    def area_name(self, key):
        """Return the area's name."""
        return _name(self.areas.get(key), "name", key)

    def commission_title(self, key):
        """Return the commission's title."""
        return _name(self.commissions.get(key), "title", key)

    def action_by_key(self, key):
        """Return the action with this key, or None."""
        return self._lookup("actions", key)

    def recommendation_by_key(self, key):
        """Return the recommendation with this key, or None."""
        return self._lookup("recommendations", key)

    def meeting_by_key(self, key):
        """Return the meeting with this key, or None."""
        return self._lookup("meetings", key)

    def milestone_by_key(self, key):
        """Return the milestone with this key, or None."""
        return self._lookup("milestones", key)

    def _lookup(self, name, key):
        table = self._by_key.get(name)
        if table is None:
            table = self._by_key[name] = {entry["key"]: entry for entry in getattr(self, name)}
        return table.get(key)

    def ancestors_or_self(self, org, cache):
        """Return the organisation and all its ancestors through ``parent`` (memoized)."""
        found = cache.get(org)
        if found is not None:
            return found
        chain = []
        seen = set()
        current = org
        while current is not None and current not in seen:
            # ``seen`` guards against a parent cycle, which a validated map never has.
            seen.add(current)
            chain.append(current)
            entry = self.organisations.get(current)
            current = entry.get("parent") if entry else None
        found = frozenset(chain)
        cache[org] = found
        return found

    def principals_below(self):
        """Return ``{organisation: principals at or below it}`` for every ancestor of a principal.

        A member acting ``on_behalf_of`` an organisation represents it and everything below it,
        so this tells which principals such a member represents.
        """
        below = {}
        cache = {}
        for key, org in self.organisations.items():
            if org.get("principal"):
                for above in self.ancestors_or_self(key, cache):
                    below.setdefault(above, set()).add(key)
        return below


def _name(entry, field, key):
    if entry:
        value = entry.get(field)
        if value:
            return value
    return key
