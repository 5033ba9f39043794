"""Two years of meetings for a generated map: who came, and when the minutes were approved.

Deterministic per seed, from its own random source, so the rest of the map is the same with or
without meetings. Most forums meet every two to six weeks and most members come; a few forums
stop meeting, a few members stop coming, some minutes are never approved and some meetings
have no attendance recorded, as in a real map. Meetings up to ``HELD_UNTIL`` are held (a few
cancelled), later ones planned.
"""

import datetime
import random

FIRST_DAY = datetime.date(2023, 11, 2)
HELD_UNTIL = datetime.date(2025, 11, 1)
LAST_DAY = datetime.date(2025, 12, 31)
INTERVALS = (14, 21, 28, 28, 28, 35, 42)


def add_meetings(doc, seed=1):
    """Append meetings to ``doc["meetings"]`` for every forum with members."""
    rng = random.Random(seed * 7919 + 17)  # noqa: S311 - reproducible test data, not secrets
    people = [p["key"] for p in doc["people"]]
    meetings = doc.setdefault("meetings", [])
    for forum in doc["forums"]:
        members = [m["person"] for m in forum.get("members") or ()]
        if not members:
            continue
        interval = rng.choice(INTERVALS)
        stops = None
        if rng.random() < 0.03:  # a forum that has stopped meeting
            stops = HELD_UNTIL - datetime.timedelta(days=rng.randint(190, 500))
        # How often each member comes; a few hardly ever do.
        comes = {
            person: 0.05 if rng.random() < 0.04 else rng.uniform(0.55, 0.95) for person in members
        }
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(interval))
        number = 0
        while day <= LAST_DAY and (stops is None or day <= stops):
            number += 1
            meetings.append(_meeting(rng, forum["key"], number, day, comes, people))
            day += datetime.timedelta(days=interval)
    return doc


def _meeting(rng, forum, number, day, comes, people):
    entry = {"key": f"{forum}.m{number}", "forum": forum, "date": day.isoformat()}
    if day > HELD_UNTIL:
        entry["status"] = "planned"
        return entry
    if rng.random() < 0.03:
        entry["status"] = "cancelled"
        return entry
    entry["status"] = "held"
    if rng.random() < 0.95:
        present = [person for person, share in comes.items() if rng.random() < share]
        if rng.random() < 0.05:  # a guest
            guest = rng.choice(people)
            if guest not in comes:
                present.append(guest)
        entry["present"] = sorted(present)
        entry["apologies"] = sorted(
            person for person in comes if person not in present and rng.random() < 0.3
        )
    if rng.random() < 0.97:
        approved = day + datetime.timedelta(days=rng.randint(2, 25))
        entry["minutes_approved_on"] = approved.isoformat()
    return entry
