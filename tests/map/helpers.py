"""Small hand-built maps for the map's pure functions."""

from __future__ import annotations


def forum(key, members=(), areas=(), reports_to=None, apex=False, **extra):
    """A forum entry with the fields the map reads."""
    return {"key": key, "name": extra.pop("name", key.upper()), "kind": "collaboration",
            "level": extra.pop("level", "regional"), "apex": apex, "reports_to": reports_to,
            "areas": list(areas), "members": [{"person": p, "role": "member"} for p in members],
            **extra}


def small_map() -> dict:
    """A region with a hospital unit, two municipalities and four forums in two areas.

    ``top`` is the apex; ``a`` and ``b`` report to it and share most members (a parallel
    pair in ``rehab``); ``lonely`` reports nowhere (an orphan).
    """
    return {
        "format": "samverkan/1",
        "organisations": [
            {"key": "reg", "name": "Regionen", "kind": "region", "parent": None,
             "principal": True},
            {"key": "reg-hsf", "name": "Hälso- och sjukvård", "kind": "region_unit",
             "parent": "reg", "principal": False},
            {"key": "reg-sjh", "name": "Sjukhusvården", "kind": "region_unit",
             "parent": "reg-hsf", "principal": False},
            {"key": "reg-nus", "name": "Universitetssjukhuset", "kind": "region_unit",
             "parent": "reg-sjh", "principal": False},
            {"key": "norr", "name": "Norrby kommun", "kind": "municipality", "parent": None,
             "principal": True},
            {"key": "soder", "name": "Söderby kommun", "kind": "municipality", "parent": None,
             "principal": True},
            {"key": "norr-vo", "name": "Vård och omsorg Norrby", "kind": "other",
             "parent": "norr", "principal": False},
        ],
        "people": [
            {"key": "p1", "name": "Anna", "organisation": "reg-hsf"},
            {"key": "p2", "name": "Bo", "organisation": "reg-nus"},
            {"key": "p3", "name": "Cecilia", "organisation": "norr-vo"},
            {"key": "p4", "name": "David", "organisation": "soder"},
            {"key": "p5", "name": "Eva", "organisation": "norr"},
        ],
        "areas": [{"key": "rehab", "name": "Rehabilitering"},
                  {"key": "kont", "name": "Kontinuitet"},
                  {"key": "digi", "name": "Digitalisering"}],
        "forums": [
            forum("top", ["p1", "p4", "p5"], ["kont"], apex=True),
            forum("a", ["p1", "p2", "p3"], ["rehab"], reports_to="top"),
            forum("b", ["p1", "p2", "p3", "p5"], ["rehab", "kont"], reports_to="top"),
            forum("lonely", ["p4"], ["kont"]),
        ],
        "commissions": [], "milestones": [], "recommendations": [], "actions": [],
        "decisions": [], "indicators": [],
    }
