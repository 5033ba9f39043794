"""Deterministic generator of national-scale collaboration maps in ``samverkan/1``.

At scale 1.0: 21 regions, each with its municipalities as principals and its own reporting trees,
plus a national layer that links them; about 4,100 forums, 25,000 people and 50,000
memberships. Smaller scales keep the shape of a region and use fewer regions, so the map grows
linearly. Each region plants a few parallel structures, orphans, cycles, missing principals and
overdue or unowned work, like a real map has.

    python -m bench.generate --scale 0.25 -o map.json
"""

import argparse
import datetime
import json
import random
import sys

from bench.meetings import add_meetings
from bench.people import Memberships, make_person
from bench.region import build_national_layer, build_region
from bench.vocabulary import AREAS, REGIONS

LIST_NAMES = (
    "organisations", "people", "areas", "forums", "documents", "commissions", "milestones",
    "recommendations", "actions", "meetings", "decisions", "indicators", "status_reports",
    "risks",
)

# Optional fields and their defaults, per list (the normalized shape the analysis reads).
DEFAULTS = {
    "organisations": {"parent": None, "principal": False},
    "people": {"title": None, "email": None},
    "areas": {"description": None},
    "forums": {
        "apex": False, "reports_to": None, "areas": [], "mandate": None, "meets": None,
        "members": [], "scope": [],
    },
    "documents": {
        "date": None, "owner": None, "parent": None, "areas": [], "summary": None, "url": None,
    },
    "commissions": {
        "owner": None, "co_owners": [], "directive": None, "lead": None, "members": [],
        "start": None, "end": None, "goals": [], "status": "active",
    },
    "milestones": {"code": None, "done_on": None, "decided_by": []},
    "recommendations": {"commission": None, "areas": []},
    "actions": {
        "commission": None, "recommendation": None, "owner_person": None, "owner_forum": None,
        "areas": [], "due": None, "status": "planned", "progress": 0,
    },
    "meetings": {
        "start": None, "duration": None, "status": "planned", "title": None, "place": None,
        "agenda": [], "present": None, "apologies": [], "minutes_approved_on": None,
        "minutes_approved_by": [],
    },
    "decisions": {"text": None, "actions": [], "meeting": None, "documents": []},
    "indicators": {
        "unit": None, "areas": [], "target": None, "values": [], "definition": None,
        "source": None, "target_source": None, "higher_is_better": True,
    },
    "status_reports": {"comment": None},
    "risks": {"owner_person": None, "mitigation": None, "status": "open"},
}
# Defaults of the fields of items inside list fields.
ITEM_DEFAULTS = {
    ("forums", "members"): {"on_behalf_of": []},
    ("indicators", "values"): {"organisation": None},
    ("meetings", "agenda"): {
        "commission": None, "milestone": None, "action": None, "recommendation": None,
    },
}
DATE_FIELDS = {
    "documents": ("date",),
    "commissions": ("start", "end"),
    "milestones": ("due", "done_on"),
    "actions": ("due",),
    "meetings": ("date", "minutes_approved_on"),
    "decisions": ("date",),
    "status_reports": ("date",),
}


class Map:
    """The lists of a document under construction, and the random source that fills them."""

    def __init__(self, seed):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.lists = {name: [] for name in LIST_NAMES}
        self.memberships = Memberships(self.rng)

    def add(self, list_name, /, **entry):
        """Append an entry to a list, leaving out fields that are None; return the entry."""
        entry = {field: value for field, value in entry.items() if value is not None}
        self.lists[list_name].append(entry)
        return entry

    def person(self, key, org, kind):
        """Add a person employed by ``org`` (of organisation kind ``kind``); return the key."""
        self.lists["people"].append(make_person(self.rng, key, org, kind))
        return key


def generate(scale: float = 1.0, seed: int = 1, meetings: bool = True) -> dict:
    """Return a JSON-able ``samverkan/1`` document (dates as strings) of the given scale.

    ``meetings`` adds two years of meetings with attendance (``bench.meetings``).
    """
    if not scale > 0:
        raise ValueError("scale must be positive")
    regions = max(1, round(len(REGIONS) * scale))
    # Regions keep their size; rounding the number of regions is evened out by their size.
    size = len(REGIONS) * scale / regions
    built = Map(seed)
    for key, name in AREAS:
        built.add("areas", key=key, name=name)
    region_forums = []
    for number in range(regions):
        slug, name, municipalities = REGIONS[number % len(REGIONS)]
        if number >= len(REGIONS):
            copy = number // len(REGIONS) + 1
            slug, name = f"{slug}{copy}", f"{name} {copy}"
        region_forums.append(build_region(built, number, slug, name, municipalities, size))
    build_national_layer(built, scale, region_forums)
    built.memberships.write(built.lists["forums"])
    doc = {"format": "samverkan/1", **built.lists}
    if meetings:
        add_meetings(doc, seed)
    return doc


def normalize(doc):
    """Return a copy of a document in the normalized shape: defaults filled, dates parsed.

    It stands in for the exchange validator's normalization in the benchmark and the tests; it
    does not validate anything.
    """
    normal = {"format": doc.get("format", "samverkan/1")}
    for name in LIST_NAMES:
        normal[name] = [_normalize_entry(name, entry) for entry in doc.get(name) or []]
    return normal


def _normalize_entry(name, entry):
    filled = dict(entry)
    for field, default in DEFAULTS[name].items():
        if filled.get(field) is None:
            filled[field] = list(default) if isinstance(default, list) else default
    if name == "meetings" and filled["status"] != "held":
        # A meeting that was not held has none of these, not even an empty list.
        filled.update(apologies=None, minutes_approved_by=None)
    for field in DATE_FIELDS.get(name, ()):
        filled[field] = _date(filled.get(field))
    for (list_name, field), defaults in ITEM_DEFAULTS.items():
        if list_name == name:
            filled[field] = [
                {**item, **{k: (list(d) if isinstance(d, list) else d)
                            for k, d in defaults.items() if item.get(k) is None}}
                for item in filled[field]
            ]
    if name == "indicators":
        filled["values"] = [{**v, "date": _date(v["date"])} for v in filled["values"]]
    return filled


def _date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def main(argv=None):
    """Write a generated map as JSON to a file or standard output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--no-meetings", action="store_true", help="leave out the meetings")
    args = parser.parse_args(argv)
    doc = generate(args.scale, args.seed, meetings=not args.no_meetings)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False, indent=1)
    else:
        json.dump(doc, sys.stdout, ensure_ascii=False)
    counts = ", ".join(f"{len(doc[name])} {name}" for name in LIST_NAMES)
    memberships = sum(len(forum.get("members", ())) for forum in doc["forums"])
    print(f"generated {counts}; {memberships} memberships", file=sys.stderr)


if __name__ == "__main__":
    main()
