from fractions import Fraction

import pytest

from portal.analysis.core import parallel_pairs_pairwise
from tests.analysis.helpers import findings, forum, make_doc, subjects


def shared_of_eight():
    """Two forums sharing 4 people out of 8 in all (Jaccard exactly 1/2)."""
    return make_doc(
        forums=[
            forum("f1", ["p1", "p2", "p3", "p4", "p5", "p6"]),
            forum("f2", ["p1", "p2", "p3", "p4", "p7", "p8"]),
        ]
    )


def test_overlap_exactly_at_threshold_is_reported():
    """4 shared of 8 is 0.5 and meets the default threshold, with its details."""
    assert findings(shared_of_eight(), "parallel_structure") == [
        {
            "kind": "parallel_structure",
            "forums": ["f1", "f2"],
            "overlap": 0.5,
            "shared_areas": ["a1"],
            "shared_members": ["p1", "p2", "p3", "p4"],
        }
    ]


def test_overlap_just_below_threshold_is_not_reported():
    """4 shared of 9 is below 0.5."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2", "p3", "p4", "p5", "p6"]),
            forum("f2", ["p1", "p2", "p3", "p4", "p7", "p8", "p9"]),
        ]
    )
    assert findings(doc, "parallel_structure") == []


def test_threshold_setting_is_compared_exactly():
    """A Fraction threshold of 1/3 and a float 0.1 are met by exactly 1/3 and 1/10."""
    third = make_doc(forums=[forum("f1", ["p1", "p2"]), forum("f2", ["p1", "p3"])])
    tenth = make_doc(
        forums=[
            forum("f1", ["p0", *(f"p{i}" for i in range(1, 6))]),
            forum("f2", ["p0", *(f"q{i}" for i in range(1, 5))]),
        ]
    )
    assert subjects(third, "parallel_structure", parallel_min_overlap=Fraction(1, 3)) == [
        ["f1", "f2"]
    ]
    assert subjects(tenth, "parallel_structure", parallel_min_overlap=0.1) == [["f1", "f2"]]
    assert subjects(tenth, "parallel_structure", parallel_min_overlap=0.11) == []


def test_overlap_is_rounded_half_up_for_display():
    """5 shared of 8 (0.625) shows as 0.63."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2", "p3", "p4", "p5", "p6"]),
            forum("f2", ["p1", "p2", "p3", "p4", "p5", "p7", "p8"]),
        ]
    )
    assert [f["overlap"] for f in findings(doc, "parallel_structure")] == [0.63]


@pytest.mark.parametrize("reporter, target", [("f1", "f2"), ("f2", "f1")])
def test_direct_reporting_in_either_direction_is_not_parallel(reporter, target):
    """A sub-group reporting directly to its parent is not a parallel structure."""
    forums = {key: forum(key, ["p1", "p2"]) for key in ("f1", "f2")}
    forums[reporter]["reports_to"] = target
    assert findings(make_doc(forums=list(forums.values())), "parallel_structure") == []


def test_forums_reporting_to_each_other_are_a_cycle_not_parallel():
    """Two forums that report to each other are reported as a cycle only."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2"], reports_to="f2"),
            forum("f2", ["p1", "p2"], reports_to="f1"),
        ]
    )
    assert subjects(doc, "parallel_structure") == []
    assert subjects(doc, "reporting_cycle") == [["f1", "f2"]]


def test_indirect_reporting_does_not_exclude_a_pair():
    """A forum and its grandparent can be parallel: only direct reporting excludes."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2"], reports_to="f2"),
            forum("f2", ["p3"], reports_to="f3"),
            forum("f3", ["p1", "p2"], apex=True),
        ]
    )
    assert subjects(doc, "parallel_structure") == [["f1", "f3"]]


def test_forums_without_members_are_never_parallel():
    """Two empty forums with the same area are not parallel."""
    doc = make_doc(forums=[forum("f1"), forum("f2"), forum("f3", ["p1"])])
    assert findings(doc, "parallel_structure") == []


def test_pair_needs_a_shared_area():
    """Same members but no area in common is not a parallel structure."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2"], areas=["a1"]),
            forum("f2", ["p1", "p2"], areas=["a2"]),
            forum("f3", ["p1", "p2"], areas=[]),
        ]
    )
    assert findings(doc, "parallel_structure") == []


def test_pairs_are_sorted_by_forum_keys_in_code_point_order():
    """Forum keys inside a pair and the pairs themselves sort by plain string comparison."""
    doc = make_doc(forums=[forum(key, ["p1"]) for key in ("b", "B", "a")])
    assert subjects(doc, "parallel_structure") == [["B", "a"], ["B", "b"], ["a", "b"]]


def test_person_sharing_a_forum_key_is_a_different_node():
    """A person whose key equals a forum key is not that forum."""
    doc = make_doc(
        people=[{"key": "f2", "name": "Anna"}],
        forums=[forum("f1", ["f2"]), forum("f2", ["p9"])],
    )
    assert findings(doc, "parallel_structure") == []


def test_reference_implementation_agrees_on_the_edge_cases():
    """The all-pairs reference finds the same pairs as the analysis."""
    doc = make_doc(
        forums=[
            forum("f1", ["p1", "p2", "p3", "p4", "p5", "p6"]),
            forum("f2", ["p1", "p2", "p3", "p4", "p7", "p8"], reports_to="f4"),
            forum("f3", ["p1", "p2", "p3", "p4", "p7", "p8"], reports_to="f2"),
            forum("f4"),
            forum("f5"),
        ]
    )
    found = findings(doc, "parallel_structure")
    expected = [{k: v for k, v in f.items() if k != "kind"} for f in found]
    assert parallel_pairs_pairwise(doc, 0.5) == expected
    assert [p["forums"] for p in expected] == [["f1", "f2"], ["f1", "f3"]]
