from tests.analysis.helpers import findings, forum, make_doc, subjects


def test_forum_reporting_to_itself_is_a_cycle_of_one():
    """A self-loop is a cycle, and the forum on it is not an orphan."""
    doc = make_doc(forums=[forum("f1", reports_to="f1")])
    assert findings(doc, "reporting_cycle") == [
        {"kind": "reporting_cycle", "forums": ["f1"], "order": ["f1"], "includes_apex": False}
    ]
    assert findings(doc, "orphan_forum") == []


def test_cycle_is_reported_once_with_sorted_keys_and_its_order():
    """A three-forum cycle is one finding; ``order`` follows the reporting from the lowest key."""
    doc = make_doc(
        forums=[forum("c", reports_to="b"), forum("b", reports_to="a"), forum("a", reports_to="c")]
    )
    assert findings(doc, "reporting_cycle") == [
        {
            "kind": "reporting_cycle",
            "forums": ["a", "b", "c"],
            "order": ["a", "c", "b"],
            "includes_apex": False,
        }
    ]


def test_chain_into_a_cycle_is_an_orphan_but_the_cycle_forums_are_not():
    """A forum whose chain runs into an apex-less cycle is an orphan; forums on it are not."""
    doc = make_doc(
        forums=[
            forum("f1", reports_to="f2"),
            forum("f2", reports_to="f3"),
            forum("f3", reports_to="f2"),
        ]
    )
    assert findings(doc, "orphan_forum") == [
        {"kind": "orphan_forum", "forum": "f1", "reason": "runs_into_cycle", "chain_end": "f2"}
    ]
    assert subjects(doc, "reporting_cycle") == [["f2", "f3"]]


def test_cycle_containing_an_apex_is_still_a_cycle_and_feeds_no_orphans():
    """A cycle with an apex is reported; a chain into it reaches the apex, so it is no orphan."""
    doc = make_doc(
        forums=[
            forum("f1", reports_to="f2"),
            forum("f2", reports_to="f3"),
            forum("f3", reports_to="f2", apex=True),
        ]
    )
    assert findings(doc, "reporting_cycle") == [
        {"kind": "reporting_cycle", "forums": ["f2", "f3"], "order": ["f2", "f3"],
         "includes_apex": True}
    ]
    assert findings(doc, "orphan_forum") == []


def test_chain_ending_at_a_non_apex_forum_makes_every_forum_on_it_an_orphan():
    """Forums whose chain stops at a non-apex forum are orphans, and so is that forum."""
    doc = make_doc(
        forums=[forum("f1", reports_to="f2"), forum("f2", reports_to="f3"), forum("f3")]
    )
    assert findings(doc, "orphan_forum") == [
        {"kind": "orphan_forum", "forum": "f1", "reason": "chain_ends", "chain_end": "f3"},
        {"kind": "orphan_forum", "forum": "f2", "reason": "chain_ends", "chain_end": "f3"},
        {"kind": "orphan_forum", "forum": "f3", "reason": "no_reporting_line", "chain_end": None},
    ]


def test_walk_stops_at_the_first_apex():
    """A chain that reaches an apex is fine even if the apex reports on to an orphan."""
    doc = make_doc(
        forums=[
            forum("f1", reports_to="top"),
            forum("top", reports_to="f2", apex=True),
            forum("f2"),
        ]
    )
    assert subjects(doc, "orphan_forum") == ["f2"]


def test_apex_is_never_an_orphan():
    """An apex forum that reports nowhere is a top body by design."""
    doc = make_doc(forums=[forum("top", apex=True), forum("f1", reports_to="top")])
    assert findings(doc, "orphan_forum") == []
    assert findings(doc, "reporting_cycle") == []


def test_long_chain_does_not_exhaust_the_stack():
    """A chain of 5,000 forums into a cycle is walked without recursion."""
    count = 5000
    forums = [forum(f"f{i:05d}", reports_to=f"f{i + 1:05d}") for i in range(count)]
    forums.append(forum(f"f{count:05d}", reports_to=f"f{count - 1:05d}"))
    doc = make_doc(forums=forums)
    assert subjects(doc, "reporting_cycle") == [[f"f{count - 1:05d}", f"f{count:05d}"]]
    assert len(subjects(doc, "orphan_forum")) == count - 1
