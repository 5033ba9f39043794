"""What an import would do, worked out without writing: the pure diff and summary."""

from __future__ import annotations

from datetime import date

from portal.exchange.preview import (
    BOOLEAN,
    WORDED,
    Summary,
    describe,
    diff,
    entry_name,
    findings_change,
    merge,
)
from portal.exchange.schema import FIELDS, Kind


def _forum(key, name, **extra):
    return {"key": key, "name": name, "kind": "collaboration", "level": "county", "apex": False,
            "reports_to": None, "areas": [], "mandate": None, "meets": None, "members": [],
            "scope": [], **extra}


STORED = {
    "format": "samverkan/1",
    "forums": [
        _forum("lsg", "Länssamverkansgruppen", areas=["a1", "a2"],
               members=[{"person": "p1", "role": "chair", "on_behalf_of": []}]),
        _forum("old", "Gammalt forum"),
    ],
    "areas": [{"key": "a1", "name": "Kontinuitet", "description": None}],
}


def _by_name(changes, name):
    return next(c for c in changes if c.name == name)


def test_new_changed_and_unchanged_entries_per_list():
    """An entry with a new key is new, one that differs is changed, the same is left alone."""
    doc = {"forums": [_forum("lsg", "LSG", areas=["a2", "a1"],
                             members=[{"person": "p1", "role": "chair", "on_behalf_of": []}]),
                      _forum("old", "Gammalt forum"),
                      _forum("ny", "Nytt forum")],
           "areas": [{"key": "a1", "name": "Kontinuitet", "description": None}]}
    changes = diff(doc, STORED)
    forums = _by_name(changes, "forums")
    assert forums.created == [("ny", "Nytt forum")]
    assert [c.key for c in forums.changed] == ["lsg"]
    assert forums.unchanged == ["old"]
    assert _by_name(changes, "areas").unchanged == ["a1"]
    assert not _by_name(changes, "people").touched


def test_a_changed_entry_lists_only_its_changed_fields_before_and_after():
    """Field by field: the renamed forum shows its old and new name; areas in another order
    are the same set and do not show."""
    doc = {"forums": [_forum("lsg", "LSG", areas=["a2", "a1"], reports_to="old",
                             members=[{"person": "p1", "role": "chair", "on_behalf_of": []}])]}
    (entry,) = _by_name(diff(doc, STORED), "forums").changed
    assert [(f.field, f.before, f.after) for f in entry.fields] == [
        ("name", "Länssamverkansgruppen", "LSG"), ("reports_to", None, "old")]
    assert entry.name == "LSG"


def test_a_list_field_shows_what_comes_and_goes():
    """A member whose role changes leaves as chair and comes back as member; a new one comes."""
    doc = {"forums": [_forum("lsg", "Länssamverkansgruppen", areas=["a1", "a2"], members=[
        {"person": "p1", "role": "member", "on_behalf_of": []},
        {"person": "p2", "role": "secretary", "on_behalf_of": ["umea"]}])]}
    (entry,) = _by_name(diff(doc, STORED), "forums").changed
    (members,) = entry.fields
    assert members.field == "members" and members.is_list
    at = ("forums", "members")
    assert [describe(item, at=at) for item in members.removed] == ["p1 · chair"]
    assert [describe(item, at=at) for item in members.added] == [
        "p1 · member", "p2 · secretary · umea"]


def _words(group, value):
    """Words of a reader, marked so a test sees which group found them."""
    return f"<{group}:{value}>"


def test_words_are_used_for_coded_values_and_never_for_keys():
    """With a reader's words, roles, statuses and true/false are worded; keys, dates and free
    text are shown as they are, and a value is worded only in its own field."""
    member = {"person": "chair", "role": "chair", "on_behalf_of": ["umea"]}
    assert describe(member, _words, ("forums", "members")) == "chair · <member_role:chair> · umea"
    assert describe("planned", _words, ("meetings", "status")) == "<meeting_status:planned>"
    assert describe("planned", _words, ("meetings", "title")) == "planned"
    assert describe(False, _words, ("organisations", "principal")) == f"<{BOOLEAN}:False>"
    assert describe(member, None, ("forums", "members")) == "chair · chair · umea"
    assert describe(True) == "true"


def test_every_coded_field_of_the_format_has_its_words():
    """A new enumerated field of the format cannot be shown as its code by mistake."""
    coded = set()
    for name, fields in FIELDS.items():
        for field in fields:
            if field.kind is Kind.ENUM:
                coded.add((name, field.name))
            coded.update((name, field.name, item.name) for item in field.items
                         if item.kind is Kind.ENUM)
    assert coded == set(WORDED)


def test_absent_optional_fields_equal_their_defaults():
    """`null` and an empty list are the same as no value: no change is shown for them."""
    stored = {"areas": [{"key": "a1", "name": "A", "description": None}]}
    doc = {"areas": [{"key": "a1", "name": "A", "description": None}]}
    assert _by_name(diff(doc, stored), "areas").unchanged == ["a1"]


def test_merge_upserts_by_key_and_deletes_nothing():
    """The map after the import: replaced entries, new ones added, the rest kept."""
    doc = {"forums": [_forum("lsg", "LSG"), _forum("ny", "Nytt")]}
    merged = merge(STORED, doc)
    assert [f["key"] for f in merged["forums"]] == ["lsg", "old", "ny"]
    assert merged["forums"][0]["name"] == "LSG"
    assert merged["areas"] == STORED["areas"]
    assert STORED["forums"][0]["name"] == "Länssamverkansgruppen"  # the input is not changed


def test_a_closed_forum_stays_without_members_for_the_analysis():
    doc = {"forums": [_forum("old", "Gammalt", members=[
        {"person": "p1", "role": "chair", "on_behalf_of": []}], areas=["a1"])]}
    merged = merge(STORED, doc, closed_forums=["old"])
    old = next(f for f in merged["forums"] if f["key"] == "old")
    assert old["members"] == [] and old["areas"] == [] and old["name"] == "Gammalt"


def test_findings_per_kind_before_and_after():
    before = [{"kind": "orphan_forum"}, {"kind": "orphan_forum"}, {"kind": "uncovered_area"}]
    after = [{"kind": "orphan_forum"}, {"kind": "parallel_structure"}]
    change = findings_change(before, after, ["parallel_structure", "uncovered_area",
                                             "orphan_forum"])
    assert [(k.kind, k.before, k.after, k.delta) for k in change] == [
        ("parallel_structure", 0, 1, 1), ("uncovered_area", 1, 0, -1), ("orphan_forum", 2, 1, -1)]


def test_summary_totals_and_whether_it_writes():
    doc = {"forums": [_forum("old", "Gammalt forum"), _forum("ny", "Nytt")]}
    summary = Summary(diff(doc, STORED))
    assert (summary.total("created"), summary.total("changed"), summary.total("unchanged")) == (
        1, 0, 1)
    assert summary.writes
    same = Summary(diff({"forums": [_forum("old", "Gammalt forum")]}, STORED))
    assert not same.writes
    assert same.as_dict()["unchanged"] == {"forums": 1}


def test_values_are_described_as_short_text():
    assert describe(date(2025, 10, 31)) == "2025-10-31"
    assert describe(45.0) == "45"
    assert describe(["a", "b"]) == "a, b"
    assert describe({"date": date(2025, 1, 1), "value": 3.5, "organisation": None}) == (
        "2025-01-01 · 3.5")
    assert describe(None) == ""
    assert entry_name({"key": "r1", "text": "x" * 100}) == "x" * 80 + "…"
    assert entry_name({"key": "m1"}) == "m1"


def test_the_words_are_the_portals_own_labels():
    """Each coded field is worded by the label group the rest of the portal uses for it, and
    that group has a word for every value the format allows."""
    from portal.labels import LABELS

    for at, group in WORDED.items():
        fields = {field.name: field for field in FIELDS[at[0]]}
        field = fields[at[1]]
        if len(at) == 3:
            field = {item.name: item for item in field.items}[at[2]]
        assert set(field.choices) <= set(LABELS[group]), at
    assert set(LABELS[BOOLEAN]) == {True, False}
