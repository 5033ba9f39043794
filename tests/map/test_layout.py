"""Positions are computed on the server, the same every time (pure)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from portal.map.layout import Y_STEP, layout, reporting_parents
from tests.map.helpers import forum, small_map

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "vasterbotten.json"


def _demo() -> dict:
    with DEMO.open(encoding="utf-8") as handle:
        return json.load(handle)


def test_the_same_map_always_gets_the_same_positions():
    """Two runs, and a run on the lists in another order, give identical positions."""
    doc = _demo()
    first = layout(doc)
    shuffled = copy.deepcopy(doc)
    for name in ("forums", "people", "organisations"):
        shuffled[name].reverse()
    assert layout(doc) == first
    assert layout(shuffled) == first


def test_every_forum_has_its_own_place_below_the_forum_it_reports_to():
    """No two forums share a position, and a forum is drawn lower than the one it reports to."""
    doc = _demo()
    forums = layout(doc)["forum"]
    assert len(set(forums.values())) == len(doc["forums"])
    parents = reporting_parents(doc["forums"])
    for key, up in parents.items():
        if up is not None:
            assert forums[key][1] >= forums[up][1] + Y_STEP, key


def test_people_and_organisations_sit_near_their_forums():
    """A person in one forum is drawn close to it; everyone gets a position."""
    doc = small_map()
    positions = layout(doc)
    assert set(positions["person"]) == {p["key"] for p in doc["people"]}
    assert set(positions["organisation"]) == {o["key"] for o in doc["organisations"]}
    lonely, david = positions["forum"]["lonely"], positions["person"]["p4"]
    assert abs(david[0] - (lonely[0] + positions["forum"]["top"][0]) / 2) < Y_STEP


def test_cycles_and_apex_forums_start_trees_of_their_own():
    """A reporting cycle is cut at its lowest key; an apex forum is never drawn below another."""
    forums = [forum("x", reports_to="y"), forum("y", reports_to="x"),
              forum("top", apex=True, reports_to="x"), forum("self", reports_to="self")]
    parents = reporting_parents(forums)
    assert parents == {"x": None, "y": "x", "top": None, "self": None}
    assert len(set(layout({"forums": forums})["forum"].values())) == 4


def test_wide_forums_wrap_their_working_groups_into_rows():
    """Fifty working groups under one forum are drawn in rows, not one long line."""
    forums = [forum("top", apex=True)] + [forum(f"wg{n:02d}", reports_to="top")
                                          for n in range(50)]
    positions = layout({"forums": forums})["forum"]
    rows = {y for key, (x, y) in positions.items() if key != "top"}
    assert len(rows) >= 5
