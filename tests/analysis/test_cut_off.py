"""``cut_off`` of a single point of failure (analysis.md, second round) and the settings' ranges."""

import pytest

from portal.analysis.core import DEFAULT_SETTINGS, validate_settings
from tests.analysis.helpers import findings, forum, make_doc


def cut_off(doc):
    return {f["person"]: f["cut_off"] for f in findings(doc, "single_point_of_failure")}


def test_the_main_part_has_the_most_forums():
    """p links {f1} and {f2 - q - f3}: the part with two forums is the main one."""
    doc = make_doc(forums=[forum("f1", ["p", "a", "b", "c"]), forum("f2", ["p", "q"]),
                           forum("f3", ["q"])])
    assert cut_off(doc)["p"] == ["f1"]


def test_cut_off_lists_every_forum_of_the_other_parts_not_only_the_persons():
    """The cut-off part holds f2 (p's forum) and f3 (reached through q): both are named."""
    doc = make_doc(forums=[forum("f1", ["p", "x"]), forum("f0", ["x", "y"]), forum("f9", ["y"]),
                           forum("f2", ["p", "q"]), forum("f3", ["q"])])
    # Parts without p: {f0, f1, f9} (3 forums) and {f2, f3} (2 forums).
    assert cut_off(doc)["p"] == ["f2", "f3"]


def test_equal_forums_then_the_most_people_wins_and_p_is_not_counted():
    """Both parts have one forum; f2's part has two people besides p, f1's one."""
    doc = make_doc(forums=[forum("f1", ["p", "a"]), forum("f2", ["p", "b", "c"])])
    assert cut_off(doc)["p"] == ["f1"]


def test_equal_forums_and_people_then_the_smallest_forum_key_of_the_part_wins():
    """Parts {fb, fz} and {fc, fa}: equal counts; "fa" is the smallest key of any forum, and
    it is not one of p's forums."""
    doc = make_doc(forums=[forum("fb", ["p", "u"]), forum("fz", ["u"]),
                           forum("fc", ["p", "v"]), forum("fa", ["v"])])
    assert cut_off(doc)["p"] == ["fb", "fz"]


def test_three_parts_cut_off_all_but_the_main_one():
    """A hub between three forums: the largest stays, the other two are cut off."""
    doc = make_doc(forums=[forum("f1", ["hub", "a"]), forum("f2", ["hub", "b", "c"]),
                           forum("f3", ["hub", "d"])])
    assert cut_off(doc)["hub"] == ["f1", "f3"]


def test_only_member_of_one_forum_who_sits_in_another_is_a_single_point():
    """p is alone in "solo" and also sits in "lsg": removing p cuts "solo" off."""
    doc = make_doc(forums=[forum("lsg", ["p", "a"]), forum("solo", ["p"])])
    assert cut_off(doc) == {"p": ["solo"]}


def test_cut_off_is_never_empty_and_disjoint_from_the_main_part():
    """In a chain, each inner link cuts off the smaller end."""
    doc = make_doc(forums=[forum("f1", ["a", "x1"]), forum("f2", ["a", "b"]),
                           forum("f3", ["b", "c"]), forum("f4", ["c", "x4", "y4"])])
    assert cut_off(doc) == {"a": ["f1"], "b": ["f1", "f2"], "c": ["f4"]}


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("parallel_min_overlap", [1, 0.001], [0, 1.01, -0.5]),
    ("participation_min_share", [1, 0.5], [0, 1.5]),
    ("overload_min_forums", [1, 100], [0, 101, 2.5]),
    ("participation_min_meetings", [1, 100], [0, 101]),
    ("inactive_after_meetings", [1, 100], [0, 101, True]),
    ("dormant_after_days", [1, 3650], [0, 3651, "183"]),
    ("minutes_due_days", [1, 3650], [0, 3651]),
])
def test_settings_have_the_ranges_of_the_spec(name, good, bad):
    """Each setting accepts its range's ends and refuses what is outside, naming itself."""
    for value in good:
        assert validate_settings({name: value})[name] == value
    for value in bad:
        with pytest.raises(ValueError, match=name):
            validate_settings({name: value})


def test_all_settings_are_in_the_output_in_the_spec_order():
    """The settings object carries every threshold with its default."""
    assert list(validate_settings()) == [
        "parallel_min_overlap", "overload_min_forums", "participation_min_meetings",
        "participation_min_share", "inactive_after_meetings", "dormant_after_days",
        "minutes_due_days",
    ]
    assert validate_settings() == DEFAULT_SETTINGS
