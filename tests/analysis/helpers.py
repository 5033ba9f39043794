"""Small hand-built maps for the analysis tests, independent of the exchange validator."""

import datetime

from bench.generate import normalize
from portal.analysis.core import analyze

AS_OF = datetime.date(2025, 11, 1)

# Required fields that tests may leave out, with a stand-in value.
REQUIRED = {
    "organisations": {"kind": "municipality"},
    "forums": {"kind": "collaboration", "level": "regional"},
    "milestones": {"commission": "c1"},
}
TITLED = {"commissions", "milestones", "actions", "decisions"}


def make_doc(**lists):
    """Return a normalized map from short entries, filling required fields and defaults.

    Entries may be given as a bare key string; forum ``members`` may be bare person keys.
    """
    doc = {"format": "samverkan/1"}
    for name, items in lists.items():
        doc[name] = [_entry(name, item) for item in items]
    return normalize(doc)


def _entry(name, item):
    entry = {"key": item} if isinstance(item, str) else dict(item)
    label = "title" if name in TITLED else "text" if name == "recommendations" else "name"
    entry.setdefault(label, f"Namn {entry['key']}")
    for field, value in REQUIRED.get(name, {}).items():
        entry.setdefault(field, value)
    if name == "forums":
        entry["members"] = [
            {"person": m, "role": "member"} if isinstance(m, str) else m
            for m in entry.get("members") or ()
        ]
    return entry


def forum(key, members=(), areas=("a1",), **fields):
    """Return a forum entry with members (person keys) and areas."""
    return {"key": key, "members": list(members), "areas": list(areas), **fields}


def findings(doc, kind=None, as_of=AS_OF, **settings):
    """Return the findings of a map without their messages, optionally only of one kind."""
    result = analyze(doc, as_of, settings or None)["findings"]
    stripped = [{k: v for k, v in f.items() if k != "message"} for f in result]
    return [f for f in stripped if kind is None or f["kind"] == kind]


def subjects(doc, kind, as_of=AS_OF, **settings):
    """Return the subject keys of the findings of one kind, in order."""
    key = {
        "parallel_structure": "forums",
        "reporting_cycle": "forums",
        "uncovered_area": "area",
        "orphan_forum": "forum",
        "single_point_of_failure": "person",
        "overloaded_person": "person",
        "stalled_recommendation": "recommendation",
        "overdue_milestone": "milestone",
    }.get(kind, "action")
    if kind == "missing_principal":
        return [
            (f["organisation"], f["area"]) for f in findings(doc, kind, as_of, **settings)
        ]
    return [f[key] for f in findings(doc, kind, as_of, **settings)]
