"""Property tests: the fast paths against plain reference implementations on random maps."""

import itertools
from fractions import Fraction

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis.core import parallel_pairs_pairwise
from tests.analysis.helpers import findings, make_doc

FORUMS = [f"f{i}" for i in range(7)]
PEOPLE = [f"p{i}" for i in range(8)]


@st.composite
def maps(draw):
    """Random small maps: memberships, areas and reporting lines over a few forums."""
    count = draw(st.integers(1, len(FORUMS)))
    forums = []
    for key in FORUMS[:count]:
        forums.append(
            {
                "key": key,
                "members": draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=6)),
                "areas": draw(st.lists(st.sampled_from(["a1", "a2"]), unique=True)),
                "reports_to": draw(st.none() | st.sampled_from(FORUMS[:count])),
                "apex": draw(st.booleans()),
            }
        )
    return make_doc(forums=forums)


@settings(max_examples=300, deadline=None)
@given(maps(), st.sampled_from([Fraction(1, 3), 0.5, 0.6, Fraction(2, 3), 1.0, 0.25]))
def test_fast_parallel_pairs_equal_the_all_pairs_reference(doc, threshold):
    """The inverted-index path finds exactly the pairs the all-pairs comparison finds."""
    fast = findings(doc, "parallel_structure", parallel_min_overlap=threshold)
    assert [{k: v for k, v in f.items() if k != "kind"} for f in fast] == (
        parallel_pairs_pairwise(doc, threshold)
    )


def separated_forums(doc):
    """Reference for single points of failure, straight from the definition in analysis.md."""
    graph = nx.Graph()
    forum_nodes = [("forum", f["key"]) for f in doc["forums"]]
    graph.add_nodes_from(forum_nodes)
    for forum in doc["forums"]:
        for member in forum["members"]:
            graph.add_edge(("forum", forum["key"]), ("person", member["person"]))
    expected = {}
    for node in [n for n in graph if n[0] == "person"]:
        before = nx.node_connected_component(graph, node)
        smaller = graph.copy()
        smaller.remove_node(node)
        split = any(
            not nx.has_path(smaller, first, second)
            for first, second in itertools.combinations(sorted(before & set(forum_nodes)), 2)
        )
        if split:
            parts = nx.number_connected_components(smaller.subgraph(before - {node}))
            expected[node[1]] = parts
    return expected


@settings(max_examples=300, deadline=None)
@given(maps())
def test_single_points_of_failure_match_the_definition(doc):
    """A person is reported exactly when removing them disconnects two connected forums."""
    found = {f["person"]: f["parts"] for f in findings(doc, "single_point_of_failure")}
    assert found == separated_forums(doc)


def cut_off_reference(doc, person):
    """``cut_off`` straight from the definition in analysis.md (second round)."""
    graph = nx.Graph()
    graph.add_nodes_from(("forum", f["key"]) for f in doc["forums"])
    for forum in doc["forums"]:
        for member in forum["members"]:
            graph.add_edge(("forum", forum["key"]), ("person", member["person"]))
    own = {n for n in graph[("person", person)]}
    graph.remove_node(("person", person))
    parts = [part for part in nx.connected_components(graph) if part & own]

    def rank(part):
        forums = sorted(key for kind, key in part if kind == "forum")
        people = sum(1 for kind, _ in part if kind == "person")
        # Most forums, then most people, then the smallest forum key (negated to sort as max).
        return (len(forums), people, [-ord(c) for c in forums[0]] + [1])

    main = max(parts, key=rank)
    return sorted(key for part in parts if part is not main for kind, key in part
                  if kind == "forum")


@settings(max_examples=300, deadline=None)
@given(maps())
def test_cut_off_matches_the_definition(doc):
    """Every single point of failure cuts off exactly the forums the definition names."""
    for finding in findings(doc, "single_point_of_failure"):
        assert finding["cut_off"], "cut_off is never empty"
        assert finding["cut_off"] == cut_off_reference(doc, finding["person"])


# The meeting kinds against a plain reading of their definitions, on random small maps.

AS_OF = __import__("datetime").date(2025, 11, 1)
ORGANISATIONS = [
    {"key": "reg", "principal": True}, {"key": "reg-u", "parent": "reg"},
    {"key": "lan"}, {"key": "kom", "principal": True, "parent": "lan"},
    {"key": "kom-s", "parent": "kom"},
]
ORG_KEYS = [o["key"] for o in ORGANISATIONS]
ROLES = ["chair", "member", "adjunct"]


@st.composite
def meeting_maps(draw):
    """Random forums with roles and on_behalf_of, and random meetings around the as-of date."""
    import datetime

    people = [{"key": p, "organisation": draw(st.sampled_from(ORG_KEYS))} for p in PEOPLE[:6]]
    forums = []
    for key in FORUMS[:3]:
        members = draw(st.lists(st.sampled_from(PEOPLE[:6]), unique=True, max_size=4))
        forums.append({"key": key, "members": [
            {"person": person, "role": draw(st.sampled_from(ROLES)),
             "on_behalf_of": draw(st.lists(st.sampled_from(ORG_KEYS), unique=True, max_size=2))}
            for person in members]})
    meetings = []
    for number in range(draw(st.integers(0, 14))):
        day = AS_OF - datetime.timedelta(days=draw(st.sampled_from(
            [-3, 0, 1, 10, 14, 15, 100, 182, 183, 200, 364, 365, 400])))
        status = draw(st.sampled_from(["held", "held", "held", "planned", "cancelled"]))
        entry = {"key": f"m{number}", "forum": draw(st.sampled_from(FORUMS[:3])),
                 "date": day.isoformat(), "status": status}
        if status == "held":
            present = draw(st.none() | st.lists(st.sampled_from(PEOPLE[:6]), unique=True))
            if present is not None:
                entry["present"] = present
            approved = draw(st.sampled_from([None, 0, 5, 30]))
            if approved is not None:
                later = day + datetime.timedelta(days=approved)
                entry["minutes_approved_on"] = later.isoformat()
        meetings.append(entry)
    return make_doc(organisations=ORGANISATIONS, people=people, forums=forums,
                    meetings=meetings)


def meeting_kinds_reference(doc, min_meetings=2, share=Fraction(1, 2), last=2, dormant=183,
                            due=14):
    """The four meeting kinds read straight from analysis.md."""
    import datetime

    parent = {o["key"]: o.get("parent") for o in doc["organisations"]}
    principal = {o["key"] for o in doc["organisations"] if o.get("principal")}
    org_of = {p["key"]: p["organisation"] for p in doc["people"]}

    def up(org):
        chain = []
        while org is not None:
            chain.append(org)
            org = parent[org]
        return chain

    def represents(person, seat, org):
        if org in up(org_of[person]):
            return True
        return seat is not None and any(o in up(org) for o in seat["on_behalf_of"])

    days = lambda m: (AS_OF - m["date"]).days  # noqa: E731
    found = set()
    for forum in doc["forums"]:
        seats = {m["person"]: m for m in forum["members"]}
        held = [m for m in doc["meetings"] if m["forum"] == forum["key"]
                and m["status"] == "held" and m["date"] <= AS_OF]
        recorded = [m for m in held if m["present"] is not None]
        window = sorted((m for m in recorded if days(m) < 365),
                        key=lambda m: (m["date"], m["key"]), reverse=True)
        for org in principal:
            if not any(represents(p, s, org) for p, s in seats.items()):
                continue
            if len(window) < min_meetings:
                continue
            came = sum(any(represents(p, seats.get(p), org) for p in m["present"])
                       for m in window)
            if Fraction(came, len(window)) < share:
                found.add(("absent_principal", org, forum["key"], len(window), came))
        if len(window) >= last:
            seen = {p for m in window[:last] for p in m["present"]}
            for person, seat in seats.items():
                if seat["role"] != "adjunct" and person not in seen:
                    dates = [m["date"] for m in recorded if person in m["present"]]
                    found.add(("inactive_member", person, forum["key"],
                               max(dates).isoformat() if dates else None))
        if seats and held and not any(days(m) < dormant for m in held):
            found.add(("dormant_forum", forum["key"], max(m["date"] for m in held).isoformat()))
    for m in doc["meetings"]:
        approved = m["minutes_approved_on"]
        if (m["status"] == "held" and 0 <= days(m) < 365 and days(m) > due
                and (approved is None or approved > AS_OF)):
            found.add(("unapproved_minutes", m["key"], days(m)))
    assert datetime  # imported for the strategy's dates
    return found


@settings(max_examples=300, deadline=None)
@given(meeting_maps())
def test_meeting_kinds_match_their_definitions(doc):
    """absent_principal, inactive_member, dormant_forum and unapproved_minutes are exactly
    what a plain reading of analysis.md gives."""
    fields = {"absent_principal": ("organisation", "forum", "meetings", "attended"),
              "inactive_member": ("person", "forum", "last_present"),
              "dormant_forum": ("forum", "last_held"), "unapproved_minutes": ("meeting", "days")}
    result = findings(doc, as_of=AS_OF, participation_min_meetings=2, inactive_after_meetings=2)
    got = {(f["kind"], *(f[name] for name in fields[f["kind"]]))
           for f in result if f["kind"] in fields}
    assert got == meeting_kinds_reference(doc)
