import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis import metrics
from portal.analysis.betweenness import forum_pair_betweenness
from portal.analysis.core import structure_metrics
from portal.analysis.index import MapIndex
from tests.analysis.helpers import forum, make_doc


def chain_map():
    """f1 - a - f2 - b - f3, with leaves l1..l3 and a person x in no forum."""
    return make_doc(
        people=["a", "b", "x"],
        forums=[
            forum("f1", ["a", "l1"], apex=True),
            forum("f2", ["a", "b", "l2"], reports_to="f1"),
            forum("f3", ["b", "l3"], reports_to="f2"),
        ],
    )


def test_degrees_and_betweenness_on_a_chain():
    """Betweenness counts the forum pairs whose shortest paths run through a node."""
    result = structure_metrics(chain_map())
    assert result["people"]["a"] == {
        "degree": 2, "betweenness": 0.666667, "brokered_pairs": 2.0, "component": 0,
        "communities": result["people"]["a"]["communities"],
    }
    assert result["people"]["l1"]["betweenness"] == 0.0
    assert result["people"]["x"] == {
        "degree": 0, "betweenness": 0.0, "brokered_pairs": 0.0, "component": None,
        "communities": 0,
    }
    assert result["forums"]["f2"]["degree"] == 3
    assert result["forums"]["f2"]["linked_forums"] == 2
    assert result["forums"]["f2"]["betweenness"] == 0.333333
    assert result["forums"]["f2"]["betweenness_scope"] == "component"
    assert result["forums"]["f1"]["betweenness"] == 0.0
    assert result["graph"] == {"forums": 3, "people": 6, "memberships": 7, "forum_links": 2}


def test_output_is_json_serialisable_and_deterministic():
    """The metrics are plain data, identical for the same seed."""
    result = structure_metrics(chain_map(), seed=7)
    assert json.loads(json.dumps(result)) == result
    assert structure_metrics(chain_map(), seed=7) == result


def test_components_sorted_by_size_with_person_counts():
    """Components list their forums, largest first; forums without members stand alone."""
    doc = make_doc(
        forums=[forum("a1", ["p1", "p2"]), forum("a2", ["p2"]), forum("b1", ["p3"]), forum("c")]
    )
    result = structure_metrics(doc)
    assert result["components"] == [
        {"id": 0, "forums": ["a1", "a2"], "person_count": 2},
        {"id": 1, "forums": ["b1"], "person_count": 1},
        {"id": 2, "forums": ["c"], "person_count": 0},
    ]
    assert result["people"]["p3"]["component"] == 1


def two_cliques(crossing):
    """Two groups of four forums sharing members, joined by one person; one group may mix trees."""
    forums = [forum("top1", ["hub"], apex=True), forum("top2", ["hub2"], apex=True)]
    for group, top in (("g", "top1"), ("h", "top2")):
        for i in range(4):
            members = [f"{group}{j}" for j in range(4) if j != i]
            parent = "top2" if crossing and group == "g" and i == 0 else top
            forums.append(forum(f"{group}{i}", members, reports_to=parent))
    forums[2]["members"].append("bridge")
    forums[6]["members"].append("bridge")
    return make_doc(forums=forums)


@pytest.mark.parametrize("crossing", [False, True])
def test_communities_are_compared_with_the_reporting_trees(crossing):
    """A community whose forums report into different trees cuts across them."""
    result = structure_metrics(two_cliques(crossing), seed=1)
    by_first = {c["forums"][0]: c for c in result["communities"]}
    group_g = by_first["g0"]
    assert group_g["forums"] == ["g0", "g1", "g2", "g3"]
    assert group_g["cuts_across_trees"] is crossing
    assert group_g["cuts_across_subtrees"] is True
    expected_trees = {"top1": 3, "top2": 1} if crossing else {"top1": 4}
    assert group_g["reporting_trees"] == expected_trees
    assert by_first["h0"]["cuts_across_trees"] is False
    assert result["people"]["bridge"]["communities"] == 2


def test_large_components_are_split_into_communities_for_betweenness(monkeypatch):
    """Above the exact limit, betweenness is computed within each community."""
    whole = structure_metrics(two_cliques(False), seed=1)
    assert whole["people"]["bridge"]["betweenness"] > 0
    monkeypatch.setattr(metrics, "EXACT_FORUM_LIMIT", 4)
    split = structure_metrics(two_cliques(False), seed=1)
    assert {f["betweenness_scope"] for f in split["forums"].values() if f["degree"] > 1} == {
        "community"
    }
    # Within its own community the bridge person links nothing: it sits in one forum there.
    assert split["people"]["bridge"]["betweenness"] == 0.0
    assert split["people"]["bridge"]["communities"] == 2


def test_reporting_subtrees_follow_chains_apex_and_cycles():
    """Tree: where the chain stops (first apex, end, lowest key of a cycle); subtree: branch."""
    doc = make_doc(
        forums=[
            forum("top", apex=True, reports_to="up"),
            forum("up"),
            forum("mid", reports_to="top"),
            forum("leaf", reports_to="mid"),
            forum("c2", reports_to="c1"),
            forum("c1", reports_to="c2"),
            forum("into", reports_to="c2"),
            forum("deeper", reports_to="into"),
        ]
    )
    tree, subtree = metrics.reporting_subtrees(MapIndex(doc))
    assert tree == {"top": "top", "up": "up", "mid": "top", "leaf": "top", "c1": "c1",
                    "c2": "c1", "into": "c1", "deeper": "c1"}
    assert subtree == {"top": "top", "up": "up", "mid": "mid", "leaf": "mid", "c1": "c1",
                       "c2": "c1", "into": "into", "deeper": "into"}


@st.composite
def bipartite(draw):
    """Random forum–linker graphs: forums 0..F-1, linkers F.., each in 1..4 forums."""
    forums = draw(st.integers(1, 9))
    linkers = draw(st.integers(0, 10))
    edges = set()
    for linker in range(linkers):
        for f in draw(st.lists(st.integers(0, forums - 1), min_size=1, max_size=4, unique=True)):
            edges.add((f, forums + linker))
    return forums, forums + linkers, sorted(edges)


@settings(max_examples=200, deadline=None)
@given(bipartite())
def test_sparse_brandes_equals_networkx_subset_betweenness(graph):
    """The matrix form of Brandes gives networkx's exact forum-to-forum betweenness."""
    forums, nodes, edges = graph
    reference = nx.Graph()
    reference.add_nodes_from(range(nodes))
    reference.add_edges_from(edges)
    expected = nx.betweenness_centrality_subset(
        reference, sources=range(forums), targets=range(forums), normalized=False
    )
    pairs = forums * (forums - 1) / 2
    got = forum_pair_betweenness(edges, forums, nodes)
    for node in range(nodes):
        assert got[node] == pytest.approx(expected[node] / pairs if pairs else 0.0, abs=1e-12)
