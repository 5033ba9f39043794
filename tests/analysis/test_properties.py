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
