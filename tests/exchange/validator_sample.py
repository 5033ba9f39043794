"""A valid `samverkan/1` document that uses every list and field, for the validator tests."""

import copy

_DOCUMENT = {
    "format": "samverkan/1",
    "organisations": [
        {"key": "rv", "name": "Region Västerbotten", "kind": "region", "principal": True},
        {"key": "umea", "name": "Umeå kommun", "kind": "municipality", "principal": True},
        {"key": "hc", "name": "Hälsocentral", "kind": "region_unit", "parent": "rv"},
    ],
    "people": [
        {
            "key": "p1",
            "name": "Anna Exempel",
            "organisation": "rv",
            "title": "Länskoordinator Nära vård",
            "email": "anna@example.se",
        },
        {"key": "p2", "name": "Bo Exempel", "organisation": "umea"},
    ],
    "areas": [
        {"key": "kontinuitet", "name": "Kontinuitet", "description": "<b>HTML</b> stays text"},
        {"key": "psykisk", "name": "Psykisk hälsa"},
    ],
    "forums": [
        {
            "key": "lsg",
            "name": "Länssamverkansgruppen",
            "kind": "collaboration",
            "level": "county",
            "apex": True,
            "areas": ["kontinuitet"],
            "mandate": "Samordnar nära vård i länet",
            "meets": "monthly",
            "members": [
                {"person": "p1", "role": "coordinator"},
                {"person": "p2", "role": "member", "on_behalf_of": ["umea", "hc"]},
            ],
            "scope": ["umea"],
        },
        {
            "key": "lokal",
            "name": "Lokalt forum",
            "kind": "local_forum",
            "level": "local",
            "reports_to": "lsg",
        },
    ],
    "documents": [
        {
            "key": "plan",
            "title": "Gemensam plan",
            "kind": "plan",
            "date": "2024-05-01",
            "owner": "lsg",
            "areas": ["kontinuitet"],
            "summary": "Planen för nära vård",
            "url": "https://example.org/plan.pdf",
        },
        {"key": "direktiv", "title": "Uppdragsdirektiv", "kind": "directive", "parent": "plan"},
    ],
    "commissions": [
        {
            "key": "fm2025",
            "title": "Genomför prioriterade åtgärder",
            "owner": "lsg",
            "co_owners": ["lokal"],
            "directive": "direktiv",
            "lead": "p1",
            "members": ["p2"],
            "start": "2025-01-01",
            "end": "2025-10-31",
            "goals": ["Mål ett", "Mål ett", "Mål två"],
            "status": "active",
        }
    ],
    "milestones": [
        {
            "key": "fm2025-bp3",
            "commission": "fm2025",
            "code": "BP3",
            "title": "Leverans till uppdragsägare",
            "due": "2025-10-31",
            "done_on": "2025-10-30",
            "decided_by": ["d1"],
        }
    ],
    "recommendations": [
        {
            "key": "r1",
            "text": "Inför fast läkarkontakt",
            "commission": "fm2025",
            "areas": ["kontinuitet"],
        }
    ],
    "actions": [
        {
            "key": "a1",
            "title": "Kartlägg listning",
            "commission": "fm2025",
            "recommendation": "r1",
            "owner_person": "p1",
            "owner_forum": "lsg",
            "areas": ["kontinuitet", "psykisk"],
            "due": "2025-06-30",
            "status": "in_progress",
            "progress": 40,
        }
    ],
    "meetings": [
        {
            "key": "m1",
            "forum": "lsg",
            "date": "2025-02-01",
            "start": "09:30",
            "duration": 120,
            "status": "held",
            "title": "LSG februari",
            "place": "Umeå",
            "agenda": [
                {"title": "Kartläggning", "commission": "fm2025", "action": "a1"},
                {"title": "Delmål", "milestone": "fm2025-bp3", "recommendation": "r1"},
            ],
            "present": ["p1"],
            "apologies": ["p2"],
            "minutes_approved_on": "2025-02-10",
            "minutes_approved_by": ["p1"],
        },
        {"key": "m2", "forum": "lsg", "date": "2025-03-01"},
    ],
    "decisions": [
        {
            "key": "d1",
            "title": "Beslut om kartläggning",
            "forum": "lsg",
            "date": "2025-02-01",
            "text": "LSG beslutar att kartlägga listningen.",
            "actions": ["a1"],
            "meeting": "m1",
            "documents": ["plan"],
        }
    ],
    "indicators": [
        {
            "key": "i1",
            "name": "Andel med fast läkarkontakt",
            "unit": "%",
            "areas": ["kontinuitet"],
            "target": 75.5,
            "values": [
                {"date": "2025-01-01", "value": 60},
                {"date": "2025-02-01", "value": 62.5},
                {"date": "2025-02-01", "value": 70, "organisation": "umea"},
            ],
            "definition": "Andel listade invånare med fast läkarkontakt",
            "source": "PrimärvårdsKvalitet",
            "target_source": "LSG 2025-06-12",
            "higher_is_better": True,
        }
    ],
    "status_reports": [
        {
            "key": "sr1",
            "commission": "fm2025",
            "date": "2025-03-01",
            "light": "at_risk",
            "comment": "Sen start",
        }
    ],
    "risks": [
        {
            "key": "risk1",
            "title": "Brist på läkare",
            "commission": "fm2025",
            "likelihood": 4,
            "consequence": 5,
            "owner_person": "p1",
            "mitigation": "Rekrytera",
            "status": "open",
        }
    ],
}

# The smallest valid new entry of each list, all with key "new", referring to the document above.
MINIMAL = {
    "organisations": {"key": "new", "name": "Ny", "kind": "other"},
    "people": {"key": "new", "name": "Ny", "organisation": "rv"},
    "areas": {"key": "new", "name": "Ny"},
    "forums": {"key": "new", "name": "Ny", "kind": "management", "level": "regional"},
    "commissions": {"key": "new", "title": "Ny"},
    "milestones": {"key": "new", "title": "Ny", "commission": "fm2025", "due": "2025-05-05"},
    "recommendations": {"key": "new", "text": "Ny"},
    "actions": {"key": "new", "title": "Ny"},
    "decisions": {"key": "new", "title": "Ny", "forum": "lsg", "date": "2025-01-01"},
    "indicators": {"key": "new", "name": "Ny"},
    "documents": {"key": "new", "title": "Ny", "kind": "other"},
    "meetings": {"key": "new", "forum": "lsg", "date": "2025-04-01"},
    "status_reports": {"key": "new", "commission": "fm2025", "date": "2025-04-01",
                       "light": "on_track"},
    "risks": {"key": "new", "title": "Ny", "commission": "fm2025", "likelihood": 1,
              "consequence": 2},
}

ABSENT = object()


def valid_document() -> dict:
    """A fresh copy of the full valid document."""
    return copy.deepcopy(_DOCUMENT)


def with_entry(list_name: str, **changes: object) -> dict:
    """The valid document plus the minimal entry of a list, changed (ABSENT removes a field)."""
    entry = copy.deepcopy(MINIMAL[list_name])
    for field, value in changes.items():
        if value is ABSENT:
            entry.pop(field, None)
        else:
            entry[field] = value
    doc = valid_document()
    doc[list_name].append(entry)
    return doc
