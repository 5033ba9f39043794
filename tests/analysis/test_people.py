from tests.analysis.helpers import findings, forum, make_doc, subjects


def test_only_link_between_two_forums_is_a_single_point_of_failure():
    """A person who alone joins two forums is reported, with the number of parts left."""
    doc = make_doc(forums=[forum("f1", ["p1", "bridge"]), forum("f2", ["p2", "bridge"])])
    assert findings(doc, "single_point_of_failure") == [
        {"kind": "single_point_of_failure", "person": "bridge", "cut_off": ["f2"], "parts": 2,
         "forum_count": 2}
    ]


def test_person_joining_three_groups_leaves_three_parts():
    """Removing a hub between three otherwise separate forums leaves three parts."""
    doc = make_doc(forums=[forum(f"f{i}", [f"p{i}", "hub"]) for i in range(3)])
    assert [(f["person"], f["parts"]) for f in findings(doc, "single_point_of_failure")] == [
        ("hub", 3)
    ]


def test_people_in_one_forum_are_never_single_points_of_failure():
    """A person in a single forum cannot disconnect forums, even when the forum is a hub."""
    doc = make_doc(forums=[forum("f1", ["p1", "p2", "p3"])])
    assert findings(doc, "single_point_of_failure") == []


def test_two_people_linking_the_same_forums_are_not_single_points():
    """With two links between the forums, neither person is indispensable."""
    doc = make_doc(forums=[forum("f1", ["p1", "p2", "x"]), forum("f2", ["p1", "p2", "y"])])
    assert findings(doc, "single_point_of_failure") == []


def test_forum_whose_only_member_is_the_link_is_still_split_off():
    """If a forum's only member also sits elsewhere, removing them cuts that forum off."""
    doc = make_doc(forums=[forum("f1", ["p1", "p2"]), forum("f2", ["p1"])])
    assert subjects(doc, "single_point_of_failure") == ["p1"]


def test_forum_separating_only_people_gives_no_finding():
    """A forum that is the only link for its leaf members is not a person: nothing reported."""
    doc = make_doc(forums=[forum("f1", ["p1", "p2", "p3"]), forum("f2", ["p4"])])
    assert findings(doc, "single_point_of_failure") == []


def test_chain_of_forums_reports_each_inner_link():
    """In a chain f1 - a - f2 - b - f3 with a ring elsewhere, only the chain links are reported."""
    doc = make_doc(
        forums=[
            forum("f1", ["a"]),
            forum("f2", ["a", "b"]),
            forum("f3", ["b", "c", "d"]),
            forum("f4", ["c", "d"]),
        ]
    )
    assert subjects(doc, "single_point_of_failure") == ["a", "b"]


def test_person_and_forum_sharing_a_key_are_different_nodes():
    """Person "x" is not forum "x": merging them would wrongly make "x" a cut point."""
    doc = make_doc(
        people=[{"key": "x", "name": "Person X"}],
        forums=[forum("f1", ["x", "a"]), forum("f2", ["x", "a"]), forum("x", ["b", "c"])],
    )
    assert findings(doc, "single_point_of_failure") == []


def test_overloaded_at_exactly_the_threshold():
    """Six forums (the default) is overloaded, five is not; every role counts."""
    forums = [forum(f"f{i}", ["busy"] + (["calm"] if i < 5 else [])) for i in range(6)]
    forums[0]["members"] = [{"person": "busy", "role": "chair"}, "calm"]
    doc = make_doc(forums=forums)
    assert findings(doc, "overloaded_person") == [
        {"kind": "overloaded_person", "person": "busy", "forum_count": 6}
    ]


def test_overload_threshold_is_a_setting():
    """With overload_min_forums=5 people in five forums are reported too, sorted by key."""
    forums = [forum(f"f{i}", ["busy"] + (["calm"] if i < 5 else [])) for i in range(6)]
    doc = make_doc(forums=forums)
    assert subjects(doc, "overloaded_person", overload_min_forums=5) == ["busy", "calm"]
