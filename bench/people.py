"""People and memberships for the generated maps."""

import itertools

from bench.vocabulary import FIRST_NAMES, LAST_NAMES, TITLES

# Number of forums a person sits in: mostly 1–3, a few in many (they become overloaded).
DEGREE_CUMULATIVE = (0.45, 0.74, 0.89, 0.955, 0.99)
ROLES = ("member", "adjunct", "coordinator")
ROLE_WEIGHTS = (85, 10, 5)
_ASCII = str.maketrans("åäöÅÄÖé", "aaoAAOe")


def make_person(rng, key, org, kind):
    """Return a people entry with an invented name and a title fitting the organisation."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    person = {"key": key, "name": f"{first} {last}", "organisation": org}
    titles = TITLES.get(kind)
    if titles:
        person["title"] = rng.choice(titles)
    if rng.random() < 0.5:
        person["email"] = f"{first}.{last}@{org}.example.se".lower().translate(_ASCII)
    return person


def degree(rng):
    """Draw how many forums a person sits in."""
    draw = rng.random()
    for count, limit in enumerate(DEGREE_CUMULATIVE, start=1):
        if draw < limit:
            return count
    return rng.randint(6, 12)


class Memberships:
    """Forum members under construction, kept free of duplicates."""

    def __init__(self, rng):
        self.rng = rng
        self.members = {}

    def add(self, forum, person):
        """Add a person to a forum (ignored when already a member)."""
        members = self.members.setdefault(forum["key"], {})
        if person not in members:
            members[person] = self.rng.choices(ROLES, ROLE_WEIGHTS)[0]

    def add_many(self, forum, people):
        """Add several people to a forum."""
        for person in people:
            self.add(forum, person)

    def of(self, forum):
        """Return the current members of a forum, in the order they joined."""
        return list(self.members.get(forum["key"], ()))

    def spread(self, person, candidates, count):
        """Add a person to ``count`` distinct forums drawn from weighted ``candidates``."""
        forums, cumulative = candidates
        if not forums:
            return
        picked = {}
        for forum in self.rng.choices(forums, cum_weights=cumulative, k=count * 3):
            picked.setdefault(forum["key"], forum)
            if len(picked) == count:
                break
        for forum in picked.values():
            self.add(forum, person)

    def write(self, forums):
        """Write the members into the forum entries; the first is chair, the second secretary."""
        for forum in forums:
            members = self.members.get(forum["key"])
            if not members:
                forum.pop("members", None)
                continue
            roles = list(members.values())
            roles[0] = "chair"
            if len(roles) > 2:
                roles[1] = "secretary"
            forum["members"] = [
                {"person": person, "role": role}
                for person, role in zip(members, roles, strict=True)
            ]


def candidates(weighted):
    """Turn ``[(forum, weight), ...]`` into the (forums, cumulative weights) used by ``spread``."""
    forums = [forum for forum, _weight in weighted]
    return forums, list(itertools.accumulate(weight for _forum, weight in weighted))
