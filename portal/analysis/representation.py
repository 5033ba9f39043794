"""Who represents which principal: up through a person's own organisation, down through
``on_behalf_of``.

A person represents organisation O in forum f when the person's organisation is O or below it,
or when the person's membership in f lists O, or an organisation above O, in ``on_behalf_of``.
A person present at a meeting of a forum they are not a member of represents only through their
own organisation. Only principals matter to the findings, so every set here holds principals.
"""

EMPTY = frozenset()


class Representation:
    """The principals each member, each forum and each person represents (memoized)."""

    def __init__(self, index):
        self.index = index
        self.principals = frozenset(
            key for key, org in index.organisations.items() if org.get("principal")
        )
        self._ancestors = {}
        self._up = {}  # organisation -> principals at or above it
        self._down = {
            org: frozenset(found) for org, found in index.principals_below().items()
        }  # organisation -> principals at or below it
        self._people = {}  # person -> principals through their own organisation
        self._forums = {}  # forum -> {person: principals} for members who represent any

    def of_organisation(self, org):
        """The principals a person from ``org`` represents: ``org`` and those above it."""
        if org is None or not self.principals:
            return EMPTY
        found = self._up.get(org)
        if found is None:
            found = self._up[org] = self.index.ancestors_or_self(org, self._ancestors) & (
                self.principals
            )
        return found

    def of_person(self, person):
        """The principals a person represents through their own organisation."""
        found = self._people.get(person)
        if found is None:
            found = self._people[person] = self.of_organisation(
                self.index.person_organisation(person)
            )
        return found

    def members(self, forum):
        """Return ``{person: principals}`` for the members of a forum (every role) who
        represent at least one principal."""
        found = self._forums.get(forum)
        if found is not None:
            return found
        found = {}
        down, people, of_person = self._down, self._people, self.of_person
        for person, seat in self.index.memberships.get(forum, {}).items():
            represented = people.get(person)
            if represented is None:
                represented = of_person(person)
            on_behalf_of = seat.get("on_behalf_of")
            if on_behalf_of:
                for org in on_behalf_of:
                    extra = down.get(org)
                    if extra:
                        represented = represented | extra
            if represented:
                found[person] = represented
        self._forums[forum] = found
        return found

    def forum(self, forum):
        """The principals some member of the forum represents."""
        found = set()
        for represented in self.members(forum).values():
            found |= represented
        return found
