"""Validation rules of the exchange format `samverkan/1`, checked by the errors users see."""

import copy
import datetime as dt
import pickle

import pytest

from portal.exchange.validator import (
    FORMAT,
    LISTS,
    ExchangeError,
    ExchangeValidationError,
    Existing,
    validate_document,
)
from tests.exchange.validator_sample import ABSENT, valid_document, with_entry


def errors_of(doc: object, **options: object) -> list[str]:
    """The error lines validating `doc` produces (the test fails if it validates)."""
    with pytest.raises(ExchangeValidationError) as info:
        validate_document(doc, **options)
    return [str(error) for error in info.value.errors]


def entry_errors(list_name: str, **changes: object) -> list[str]:
    """The errors of the valid document plus one changed minimal entry."""
    return errors_of(with_entry(list_name, **changes))


def normalized_entry(list_name: str, **changes: object) -> dict:
    """The normalized form of the added minimal entry."""
    return validate_document(with_entry(list_name, **changes))[list_name][-1]


# --- The document as a whole ---------------------------------------------------------------


def test_full_valid_document_is_accepted():
    """A document using every list and field validates and keeps all its entries."""
    doc = validate_document(valid_document())
    assert [len(doc[name]) for name in LISTS] == [3, 2, 2, 2, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1]


def test_lists_are_optional():
    """A document with only the format marker has all fourteen lists, empty."""
    assert validate_document({"format": FORMAT}) == {"format": FORMAT, **{n: [] for n in LISTS}}


def test_null_list_is_the_same_as_an_absent_one():
    """A list given as null is an empty list, like any optional field given as null."""
    assert validate_document({"format": FORMAT, "forums": None})["forums"] == []


def test_lists_names_are_in_dependency_order():
    """LISTS names the lists so that each refers only to lists before it (and decided_by)."""
    assert LISTS == (
        "organisations",
        "people",
        "areas",
        "forums",
        "documents",
        "commissions",
        "milestones",
        "recommendations",
        "actions",
        "meetings",
        "decisions",
        "indicators",
        "status_reports",
        "risks",
    )


@pytest.mark.parametrize(
    ("data", "shown"),
    [([], "an array"), ("x", '"x"'), (1, "1"), (None, "null"), (True, "true")],
)
def test_document_must_be_an_object(data, shown):
    """Anything but a JSON object is refused as a whole."""
    assert errors_of(data) == [f"document: expected a JSON object, got {shown}"]


def test_format_is_required():
    """A document without the format marker is refused."""
    assert errors_of({}) == ['format: missing, expected "samverkan/1"']


@pytest.mark.parametrize(("marker", "shown"), [("samverkan/2", '"samverkan/2"'), (1, "1")])
def test_format_must_be_samverkan_1(marker, shown):
    """Another format version, or a non-string, is refused."""
    assert errors_of({"format": marker}) == [f'format: expected "samverkan/1", got {shown}']


def test_unknown_top_level_field_is_an_error():
    """A misspelt list name is reported, not silently ignored."""
    assert errors_of({"format": FORMAT, "forum": []}) == ["forum: unknown field"]


def test_list_must_be_an_array():
    """A list given as something else than a JSON array is an error."""
    errors = errors_of({"format": FORMAT, "forums": {"key": "lsg"}})
    assert errors == ["forums: expected an array, got an object"]


def test_entry_must_be_an_object():
    """An entry that is not an object is reported by its index."""
    doc = valid_document()
    doc["forums"].append("lsg")
    assert errors_of(doc) == ['forums[#2]: expected an object, got "lsg"']


def test_too_many_entries_in_a_list():
    """More than 200,000 entries in one list is refused."""
    errors = errors_of({"format": FORMAT, "areas": [None] * 200_001})
    assert errors[0] == "areas: too many entries (200001, at most 200000)"


@pytest.mark.parametrize(
    ("list_name", "field", "value", "error"),
    [
        ("areas", "colour", "red", "areas[new].colour: unknown field"),
        (
            "forums",
            "members",
            [{"person": "p1", "role": "chair", "x": 1}],
            "forums[new].members[0].x: unknown field",
        ),
        (
            "indicators",
            "values",
            [{"date": "2025-01-01", "value": 1, "note": ""}],
            "indicators[new].values[0].note: unknown field",
        ),
    ],
)
def test_unknown_field_in_an_entry_or_item_is_an_error(list_name, field, value, error):
    """Unknown fields inside entries, forum members and indicator values are refused."""
    assert entry_errors(list_name, **{field: value}) == [error]


@pytest.mark.parametrize(
    ("name", "place"),
    [("a b", '"a b"'), ("x" * 65, f'"{"x" * 60}…"'), ("é", '"é"'), ("a.b", '"a.b"')],
)
def test_unusual_unknown_field_names_are_quoted(name, place):
    """An unknown field name that is not plain is shown quoted, so the place stays readable."""
    assert entry_errors("areas", **{name: 1}) == [f"areas[new].{place}: unknown field"]


# --- Keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("a b", 'invalid key "a b"'),
        ("hälsa", 'invalid key "hälsa"'),
        ("a\n", 'invalid key "a\\n"'),
        ("a/b", 'invalid key "a/b"'),
        ("k" * 65, f'invalid key "{"k" * 60}…" (longer than 64 characters)'),
        ("", "empty (required)"),
        ("   ", "empty (required)"),
        (3, "expected a string, got 3"),
        (None, "missing (required)"),
        (ABSENT, "missing (required)"),
    ],
)
def test_invalid_key_is_reported_by_index(key, message):
    """A missing or malformed key is an error located by the entry's index."""
    assert entry_errors("areas", key=key) == [f"areas[#2].key: {message}"]


@pytest.mark.parametrize("key", ["k" * 64, "A-z_0.9", "x"])
def test_valid_keys_are_accepted(key):
    """Keys of 1–64 ASCII letters, digits, '_', '.' and '-' are accepted."""
    assert normalized_entry("areas", key=key)["key"] == key


def test_fields_of_an_entry_with_invalid_key_use_the_index():
    """Every error of an entry whose key is invalid is located by the index."""
    assert entry_errors("areas", key="a b", name=None) == [
        'areas[#2].key: invalid key "a b"',
        "areas[#2].name: missing (required)",
    ]


def test_duplicate_key_is_reported_by_key():
    """The second entry with a key already used in its list is an error."""
    assert entry_errors("areas", key="psykisk") == ['areas[psykisk].key: duplicate key "psykisk"']


def test_keys_are_case_sensitive_and_lists_are_separate_name_spaces():
    """'Psykisk' differs from 'psykisk', and a forum may share a key with an area."""
    validate_document(with_entry("areas", key="Psykisk"))
    validate_document(with_entry("forums", key="psykisk"))


# --- Required and optional fields ----------------------------------------------------------

REQUIRED = [
    ("organisations", "name"),
    ("organisations", "kind"),
    ("people", "name"),
    ("people", "organisation"),
    ("areas", "name"),
    ("forums", "name"),
    ("forums", "kind"),
    ("forums", "level"),
    ("commissions", "title"),
    ("milestones", "title"),
    ("milestones", "commission"),
    ("milestones", "due"),
    ("recommendations", "text"),
    ("actions", "title"),
    ("decisions", "title"),
    ("decisions", "forum"),
    ("decisions", "date"),
    ("indicators", "name"),
]


@pytest.mark.parametrize(("list_name", "field"), REQUIRED)
@pytest.mark.parametrize(
    ("value", "message"),
    [(ABSENT, "missing"), (None, "missing"), ("", "empty"), (" \t\n", "empty")],
)
def test_required_field_absent_null_empty_or_blank(list_name, field, value, message):
    """A required field that is absent, null, empty or only whitespace is an error."""
    errors = entry_errors(list_name, **{field: value})
    assert errors == [f"{list_name}[new].{field}: {message} (required)"]


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ({"role": "chair"}, "missing"),
        ({"person": None, "role": "chair"}, "missing"),
        ({"person": "", "role": "chair"}, "empty"),
    ],
)
def test_required_field_of_a_forum_member(member, message):
    """A forum member needs a person."""
    errors = entry_errors("forums", members=[member])
    assert errors == [f"forums[new].members[0].person: {message} (required)"]


def test_required_field_of_an_indicator_value():
    """An indicator value needs a date and a value."""
    assert entry_errors("indicators", values=[{}]) == [
        "indicators[new].values[0].date: missing (required)",
        "indicators[new].values[0].value: missing (required)",
    ]


def test_optional_null_is_the_same_as_absent():
    """Optional fields given as null normalize exactly like absent ones."""
    nulls = {"reports_to": None, "areas": None, "members": None, "apex": None, "mandate": None}
    assert normalized_entry("forums", **nulls) == normalized_entry("forums")


# --- Types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "field", "value", "message"),
    [
        ("areas", "name", 5, "expected a string, got 5"),
        ("areas", "description", ["x"], "expected a string, got an array"),
        ("organisations", "principal", "true", 'expected true or false, got "true"'),
        ("organisations", "principal", 1, "expected true or false, got 1"),
        ("actions", "progress", 3.0, "expected an integer, got 3.0"),
        ("actions", "progress", 3.5, "expected an integer, got 3.5"),
        ("actions", "progress", True, "expected an integer, got true"),
        ("actions", "progress", "50", 'expected an integer, got "50"'),
        ("actions", "progress", 101, "must be between 0 and 100, got 101"),
        ("actions", "progress", -1, "must be between 0 and 100, got -1"),
        ("indicators", "target", True, "expected a number, got true"),
        ("indicators", "target", "5", 'expected a number, got "5"'),
        ("indicators", "target", 10**400, f"number out of range: {'1' + '0' * 59}…"),
        ("indicators", "target", float("nan"), "number out of range: NaN"),
        pytest.param(
            "indicators",
            "target",
            10**5000,
            "number out of range: a very large number",
            id="indicators-target-10**5000",
        ),
        ("people", "organisation", 7, "expected a string, got 7"),
        ("forums", "areas", "kontinuitet", 'expected an array, got "kontinuitet"'),
        ("commissions", "goals", "Mål", 'expected an array, got "Mål"'),
        ("forums", "members", {"person": "p1"}, "expected an array, got an object"),
    ],
)
def test_wrong_type_is_an_error(list_name, field, value, message):
    """Strings, booleans, integers, numbers and arrays must have their JSON type."""
    assert entry_errors(list_name, **{field: value}) == [f"{list_name}[new].{field}: {message}"]


@pytest.mark.parametrize(
    ("list_name", "field", "value", "where", "message"),
    [
        ("forums", "areas", [3], "areas[0]", "expected a string, got 3"),
        ("forums", "members", ["p1"], "members[0]", 'expected an object, got "p1"'),
        ("commissions", "goals", [None], "goals[0]", "expected a string, got null"),
        (
            "indicators",
            "values",
            [{"date": "2025-01-01", "value": True}],
            "values[0].value",
            "expected a number, got true",
        ),
    ],
)
def test_wrong_type_of_a_list_item_is_located_by_index(list_name, field, value, where, message):
    """An item of a list field with the wrong type is located by its position."""
    assert entry_errors(list_name, **{field: value}) == [f"{list_name}[new].{where}: {message}"]


@pytest.mark.parametrize(("progress", "target"), [(0, 0), (100, -2.5), (55, 10**6)])
def test_valid_numbers_are_accepted(progress, target):
    """Integers in range and any finite int or float number are accepted as given."""
    assert normalized_entry("actions", progress=progress)["progress"] == progress
    assert normalized_entry("indicators", target=target)["target"] == target


@pytest.mark.parametrize(
    ("list_name", "field", "value"),
    [
        ("organisations", "kind", "Region"),
        ("forums", "level", "state"),
        ("commissions", "status", "done"),
        ("actions", "status", 1),
    ],
)
def test_enum_values_are_exact(list_name, field, value):
    """Enumerated fields accept only the listed words, case-sensitively."""
    errors = entry_errors(list_name, **{field: value})
    assert len(errors) == 1
    shown = f'"{value}"' if isinstance(value, str) else str(value)
    assert errors[0].startswith(
        f"{list_name}[new].{field}: invalid value {shown}, expected one of: "
    )


def test_enum_message_lists_the_choices():
    """The error for a forum kind names every allowed kind."""
    assert entry_errors("forums", kind="Collaboration") == [
        'forums[new].kind: invalid value "Collaboration", expected one of: collaboration, '
        "knowledge_management, local_forum, management, political, consultation, working_group"
    ]


def test_member_role_is_an_enum():
    """A forum member's role must be one of the listed roles."""
    assert entry_errors("forums", members=[{"person": "p1", "role": "boss"}]) == [
        'forums[new].members[0].role: invalid value "boss", expected one of: '
        "chair, member, secretary, coordinator, adjunct"
    ]


# --- Dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", 'invalid date "2025-02-30", no such day'),
        ("2025-13-01", 'invalid date "2025-13-01", no such day'),
        ("0000-01-01", 'invalid date "0000-01-01", no such day'),
        ("2025-1-5", 'invalid date "2025-1-5", expected YYYY-MM-DD'),
        ("2025-01-01T10:00", 'invalid date "2025-01-01T10:00", expected YYYY-MM-DD'),
        ("20250101", 'invalid date "20250101", expected YYYY-MM-DD'),
        ("2025-01-01\n", 'invalid date "2025-01-01\\n", expected YYYY-MM-DD'),
        ("２０２５-01-01", 'invalid date "２０２５-01-01", expected YYYY-MM-DD'),
        (20250101, "invalid date 20250101, expected YYYY-MM-DD"),
    ],
)
def test_invalid_date(value, message):
    """Dates must be real calendar dates written exactly YYYY-MM-DD."""
    assert entry_errors("actions", due=value) == [f"actions[new].due: {message}"]


def test_dates_are_normalized_to_date_objects():
    """A valid date, leap days included, becomes a datetime.date."""
    assert normalized_entry("actions", due="2024-02-29")["due"] == dt.date(2024, 2, 29)


def test_commission_may_not_start_after_it_ends():
    """A start after the end is reported on `end`, naming both dates."""
    errors = entry_errors("commissions", start="2025-03-01", end="2025-01-01")
    assert errors == ["commissions[new].end: end 2025-01-01 is before start 2025-03-01"]


@pytest.mark.parametrize(
    ("start", "end"), [("2025-03-01", "2025-03-01"), ("2025-03-01", None), (None, "2025-01-01")]
)
def test_commission_period_may_be_one_day_or_open(start, end):
    """A one-day period, or one with only a start or an end, is accepted."""
    validate_document(with_entry("commissions", start=start, end=end))


# --- Text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "field", "limit"),
    [
        ("areas", "name", 500),
        ("milestones", "code", 500),
        ("indicators", "unit", 500),
        ("areas", "description", 20_000),
        ("forums", "mandate", 20_000),
        ("forums", "meets", 20_000),
        ("people", "title", 20_000),
        ("people", "email", 20_000),
        ("recommendations", "text", 20_000),
        ("decisions", "text", 20_000),
    ],
)
def test_text_length_limits(list_name, field, limit):
    """Text up to the field's limit is accepted; one character more is an error."""
    assert normalized_entry(list_name, **{field: "x" * limit})[field] == "x" * limit
    errors = entry_errors(list_name, **{field: "x" * (limit + 1)})
    assert errors == [
        f"{list_name}[new].{field}: too long ({limit + 1} characters, at most {limit})"
    ]


def test_goal_length_limit_is_per_goal():
    """Each goal is free text of at most 20,000 characters."""
    errors = entry_errors("commissions", goals=["ok", "g" * 20_001])
    assert errors == ["commissions[new].goals[1]: too long (20001 characters, at most 20000)"]


@pytest.mark.parametrize(
    ("text", "what"), [("a\x00b", "a NUL character"), ("a\ud800b", "an unpaired surrogate")]
)
def test_text_the_database_cannot_store_is_refused(text, what):
    """NUL characters and unpaired surrogates cannot be stored, so they are refused."""
    errors = entry_errors("areas", description=text)
    assert errors == [f"areas[new].description: contains {what}, which is not allowed in text"]


@pytest.mark.parametrize(
    "text", ["<script>alert('x')</script>", "  spaces kept  ", "rad ett\nrad två", "å ä ö 🙂"]
)
def test_text_is_kept_exactly_as_given(text):
    """Text, HTML-looking or padded, is stored exactly as given."""
    assert normalized_entry("areas", name=text, description=text)["description"] == text
    assert normalized_entry("areas", name=text)["name"] == text


def test_optional_empty_text_is_kept():
    """An optional text given as "" stays "" (only required fields must be non-empty)."""
    assert normalized_entry("people", title="")["title"] == ""


# --- Duplicates inside list fields ---------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "field", "value", "error"),
    [
        (
            "forums",
            "areas",
            ["kontinuitet", "kontinuitet"],
            'forums[new].areas[1]: duplicate area "kontinuitet"',
        ),
        (
            "recommendations",
            "areas",
            ["psykisk", "kontinuitet", "psykisk"],
            'recommendations[new].areas[2]: duplicate area "psykisk"',
        ),
        (
            "actions",
            "areas",
            ["psykisk", "psykisk"],
            'actions[new].areas[1]: duplicate area "psykisk"',
        ),
        (
            "indicators",
            "areas",
            ["psykisk", "psykisk"],
            'indicators[new].areas[1]: duplicate area "psykisk"',
        ),
        (
            "forums",
            "members",
            [{"person": "p1", "role": "chair"}, {"person": "p1", "role": "member"}],
            'forums[new].members[1].person: duplicate person "p1"',
        ),
        (
            "commissions",
            "members",
            ["p1", "p2", "p1"],
            'commissions[new].members[2]: duplicate person "p1"',
        ),
        ("decisions", "actions", ["a1", "a1"], 'decisions[new].actions[1]: duplicate action "a1"'),
        (
            "indicators",
            "values",
            [{"date": "2025-01-01", "value": 1}, {"date": "2025-01-01", "value": 2}],
            "indicators[new].values[1].date: duplicate date 2025-01-01",
        ),
    ],
)
def test_duplicates_inside_list_fields(list_name, field, value, error):
    """An area, person, action or indicator date twice in one list field is an error."""
    assert entry_errors(list_name, **{field: value}) == [error]


def test_repeated_goals_are_allowed():
    """Goals are free text, so the same goal twice is accepted."""
    assert normalized_entry("commissions", goals=["Mål", "Mål"])["goals"] == ["Mål", "Mål"]


# --- References ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "field", "value", "error"),
    [
        ("organisations", "parent", "xyz", 'parent: unknown organisation "xyz"'),
        ("people", "organisation", "xyz", 'organisation: unknown organisation "xyz"'),
        ("forums", "reports_to", "xyz", 'reports_to: unknown forum "xyz"'),
        ("forums", "areas", ["xyz"], 'areas[0]: unknown area "xyz"'),
        (
            "forums",
            "members",
            [{"person": "p9", "role": "chair"}],
            'members[0].person: unknown person "p9"',
        ),
        ("commissions", "owner", "xyz", 'owner: unknown forum "xyz"'),
        ("commissions", "lead", "p9", 'lead: unknown person "p9"'),
        ("commissions", "members", ["p1", "p9"], 'members[1]: unknown person "p9"'),
        ("milestones", "commission", "xyz", 'commission: unknown commission "xyz"'),
        ("recommendations", "commission", "xyz", 'commission: unknown commission "xyz"'),
        ("recommendations", "areas", ["xyz"], 'areas[0]: unknown area "xyz"'),
        ("actions", "commission", "xyz", 'commission: unknown commission "xyz"'),
        ("actions", "recommendation", "xyz", 'recommendation: unknown recommendation "xyz"'),
        ("actions", "owner_person", "xyz", 'owner_person: unknown person "xyz"'),
        ("actions", "owner_forum", "xyz", 'owner_forum: unknown forum "xyz"'),
        ("actions", "areas", ["xyz"], 'areas[0]: unknown area "xyz"'),
        ("decisions", "forum", "xyz", 'forum: unknown forum "xyz"'),
        ("decisions", "actions", ["xyz"], 'actions[0]: unknown action "xyz"'),
        ("indicators", "areas", ["xyz"], 'areas[0]: unknown area "xyz"'),
    ],
)
def test_unknown_reference(list_name, field, value, error):
    """Every kind of reference to a key that does not exist is an error."""
    assert entry_errors(list_name, **{field: value}) == [f"{list_name}[new].{error}"]


def test_reference_uses_the_target_list_only():
    """A forum key does not satisfy a reference to an organisation."""
    assert entry_errors("people", organisation="lsg") == [
        'people[new].organisation: unknown organisation "lsg"'
    ]


def test_forward_reference_inside_a_list_is_allowed():
    """A forum may report to a forum listed after it."""
    doc = valid_document()
    doc["forums"][0]["reports_to"] = "lokal"
    validate_document(doc)


@pytest.mark.parametrize("reports_to", ["new", "lokal"])
def test_reports_to_cycles_are_allowed(reports_to):
    """A forum reporting to itself or in a loop is bad governance, not bad data."""
    doc = with_entry("forums", reports_to=reports_to)
    doc["forums"][1]["reports_to"] = "new"
    assert validate_document(doc)["forums"][2]["reports_to"] == reports_to


def test_reference_to_an_entry_with_an_invalid_key_is_unknown():
    """A key that is itself invalid cannot be referred to."""
    doc = with_entry("areas", key="a b")
    doc["forums"][0]["areas"] = ["a b"]
    assert errors_of(doc) == [
        'areas[#2].key: invalid key "a b"',
        'forums[lsg].areas[0]: unknown area "a b"',
    ]


# --- Organisation ancestry -----------------------------------------------------------------


def org(key: str, parent: str | None) -> dict:
    """An organisation entry with a parent."""
    return {"key": key, "name": key.upper(), "kind": "region_unit", "parent": parent}


def test_organisation_may_not_be_its_own_parent():
    """An organisation that is its own parent is an error."""
    errors = errors_of({"format": FORMAT, "organisations": [org("a", "a")]})
    assert errors == ['organisations[a].parent: organisation "a" is its own ancestor: a -> a']


def test_every_organisation_on_a_parent_cycle_is_reported():
    """Each organisation on a cycle is reported; one merely below it is not."""
    orgs = [org("tail", "a"), org("a", "b"), org("b", "c"), org("c", "a")]
    assert errors_of({"format": FORMAT, "organisations": orgs}) == [
        'organisations[a].parent: organisation "a" is its own ancestor: a -> b -> c -> a',
        'organisations[b].parent: organisation "b" is its own ancestor: b -> c -> a -> b',
        'organisations[c].parent: organisation "c" is its own ancestor: c -> a -> b -> c',
    ]


def test_long_cycle_message_is_shortened():
    """The chain shown for a long cycle stops after a few steps."""
    orgs = [org(f"o{i}", f"o{(i + 1) % 20}") for i in range(20)]
    errors = errors_of({"format": FORMAT, "organisations": orgs})
    assert len(errors) == 20
    assert errors[0] == (
        'organisations[o0].parent: organisation "o0" is its own ancestor: '
        "o0 -> o1 -> o2 -> o3 -> o4 -> o5 -> o6 -> o7 -> … -> o0"
    )


def test_cycle_through_stored_organisations_is_reported():
    """A file organisation whose stored ancestors lead back to it is an error."""
    existing = Existing({"organisations": {"s1", "s2"}}, org_parents={"s1": "s2", "s2": "a"})
    errors = errors_of({"format": FORMAT, "organisations": [org("a", "s1")]}, existing=existing)
    assert errors == [
        'organisations[a].parent: organisation "a" is its own ancestor: a -> s1 -> s2 -> a'
    ]


def test_file_entries_replace_stored_parents():
    """A stored parent that the file changes no longer counts for the cycle check."""
    existing = Existing({"organisations": {"a", "b"}}, org_parents={"a": None, "b": "a"})
    doc = {"format": FORMAT, "organisations": [org("a", "b"), org("b", None)]}
    assert [o["parent"] for o in validate_document(doc, existing)["organisations"]] == ["b", None]


# --- Existing keys -------------------------------------------------------------------------


def test_reference_to_a_stored_key_is_accepted():
    """A partial import may refer to keys already in the database."""
    existing = Existing({"organisations": {"stored"}, "forums": {"hsn"}})
    doc = {
        "format": FORMAT,
        "people": [{"key": "p", "name": "P", "organisation": "stored"}],
        "decisions": [{"key": "d", "title": "D", "forum": "hsn", "date": "2025-01-01"}],
    }
    assert validate_document(doc, existing)["people"][0]["organisation"] == "stored"


def test_stored_keys_of_another_list_do_not_count():
    """A stored forum key does not make an organisation reference valid."""
    doc = {"format": FORMAT, "people": [{"key": "p", "name": "P", "organisation": "stored"}]}
    errors = errors_of(doc, existing=Existing({"forums": {"stored"}}))
    assert errors == ['people[p].organisation: unknown organisation "stored"']


# --- All errors, in order ------------------------------------------------------------------


def test_all_errors_are_reported_in_list_then_entry_order():
    """Errors from several lists come ordered by list, then by entry."""
    doc = valid_document()
    doc["indicators"][0]["unit"] = 1
    doc["forums"][1]["reports_to"] = "xyz"
    doc["organisations"][2]["kind"] = "unit"
    doc["forums"][0]["level"] = None
    doc["colour"] = "red"
    assert errors_of(doc) == [
        "colour: unknown field",
        'organisations[hc].kind: invalid value "unit", expected one of: region, region_unit, '
        "municipality, private_provider, user_organisation, union, national, other",
        "forums[lsg].level: missing (required)",
        'forums[lokal].reports_to: unknown forum "xyz"',
        "indicators[i1].unit: expected a string, got 1",
    ]


def test_errors_stop_after_the_limit():
    """Past max_errors, validation stops with one final error saying so."""
    doc = {"format": FORMAT, "areas": [{"key": f"a{i}"} for i in range(150)]}
    errors = errors_of(doc, max_errors=100)
    assert len(errors) == 101
    assert errors[99] == "areas[a99].name: missing (required)"
    assert errors[100] == "document: too many errors, stopped after 100"


def test_exactly_the_limit_of_errors_is_not_cut():
    """Exactly max_errors errors are reported without the 'too many' line."""
    doc = {"format": FORMAT, "areas": [{"key": f"a{i}"} for i in range(3)]}
    assert len(errors_of(doc, max_errors=3)) == 3


def test_exception_lists_errors_one_per_line():
    """str() of the exception is every error on its own line; it is a ValueError."""
    with pytest.raises(ValueError, match="format: missing") as info:
        validate_document({"colour": 1})
    assert isinstance(info.value, ExchangeValidationError)
    assert str(info.value) == 'format: missing, expected "samverkan/1"\ncolour: unknown field'


def test_exception_survives_pickling_with_its_errors():
    """The error list, not just the text, crosses process boundaries (workers, queues)."""
    with pytest.raises(ExchangeValidationError) as info:
        validate_document({"colour": 1})
    copied = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own data
    assert copied.errors == info.value.errors
    assert str(copied) == str(info.value)


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (ExchangeError("forums", "lsg", "reports_to", "required"),
         "forums[lsg].reports_to: missing (required)"),
        (ExchangeError("areas", "#3", None, "not_object", {"got": 1}),
         "areas[#3]: expected an object, got 1"),
        (ExchangeError("areas", None, None, "too_many_entries", {"count": 3, "limit": 2}),
         "areas: too many entries (3, at most 2)"),
        (ExchangeError(None, None, "format", "format_missing", {"expected": "samverkan/1"}),
         'format: missing, expected "samverkan/1"'),
        (ExchangeError(None, None, None, "json_nested"),
         "document: invalid JSON: nested too deeply"),
    ],
)
def test_error_text_names_list_entry_and_field(error, text):
    """An error reads list[ref].field: message, or document: / format: at the top."""
    assert str(error) == text


def test_long_values_are_shortened_in_messages():
    """A huge wrong value is cut in the message so errors stay readable."""
    errors = entry_errors("forums", reports_to="x" * 1000)
    assert errors == [f'forums[new].reports_to: unknown forum "{"x" * 60}…"']


# --- Normalization -------------------------------------------------------------------------

MINIMAL_NORMALIZED = {
    "organisations": {
        "key": "new",
        "name": "Ny",
        "kind": "other",
        "parent": None,
        "principal": False,
    },
    "people": {"key": "new", "name": "Ny", "organisation": "rv", "title": None, "email": None},
    "areas": {"key": "new", "name": "Ny", "description": None},
    "forums": {
        "key": "new",
        "name": "Ny",
        "kind": "management",
        "level": "regional",
        "apex": False,
        "reports_to": None,
        "areas": [],
        "mandate": None,
        "meets": None,
        "members": [],
        "scope": [],
    },
    "documents": {
        "key": "new",
        "title": "Ny",
        "kind": "other",
        "date": None,
        "owner": None,
        "parent": None,
        "areas": [],
        "summary": None,
        "url": None,
    },
    "commissions": {
        "key": "new",
        "title": "Ny",
        "owner": None,
        "co_owners": [],
        "directive": None,
        "lead": None,
        "members": [],
        "start": None,
        "end": None,
        "goals": [],
        "status": "active",
    },
    "milestones": {
        "key": "new",
        "title": "Ny",
        "commission": "fm2025",
        "code": None,
        "due": dt.date(2025, 5, 5),
        "done_on": None,
        "decided_by": [],
    },
    "recommendations": {"key": "new", "text": "Ny", "commission": None, "areas": []},
    "actions": {
        "key": "new",
        "title": "Ny",
        "commission": None,
        "recommendation": None,
        "owner_person": None,
        "owner_forum": None,
        "areas": [],
        "due": None,
        "status": "planned",
        "progress": 0,
    },
    "decisions": {
        "key": "new",
        "title": "Ny",
        "forum": "lsg",
        "date": dt.date(2025, 1, 1),
        "text": None,
        "actions": [],
        "meeting": None,
        "documents": [],
    },
    "meetings": {
        "key": "new",
        "forum": "lsg",
        "date": dt.date(2025, 4, 1),
        "start": None,
        "duration": None,
        "status": "planned",
        "title": None,
        "place": None,
        "agenda": [],
        "present": None,
        "apologies": None,
        "minutes_approved_on": None,
        "minutes_approved_by": None,
    },
    "status_reports": {
        "key": "new",
        "commission": "fm2025",
        "date": dt.date(2025, 4, 1),
        "light": "on_track",
        "comment": None,
    },
    "risks": {
        "key": "new",
        "title": "Ny",
        "commission": "fm2025",
        "likelihood": 1,
        "consequence": 2,
        "owner_person": None,
        "mitigation": None,
        "status": "open",
    },
    "indicators": {
        "key": "new",
        "name": "Ny",
        "unit": None,
        "areas": [],
        "target": None,
        "values": [],
        "definition": None,
        "source": None,
        "target_source": None,
        "higher_is_better": True,
    },
}


@pytest.mark.parametrize("list_name", LISTS)
def test_minimal_entry_is_normalized_with_every_field(list_name):
    """Absent optional fields are filled: references/text None, bools False, lists []."""
    assert normalized_entry(list_name) == MINIMAL_NORMALIZED[list_name]


def test_nested_items_are_normalized():
    """Forum members and indicator values become plain dicts, dates as date objects."""
    doc = validate_document(valid_document())
    assert doc["forums"][0]["members"][0] == {
        "person": "p1", "role": "coordinator", "on_behalf_of": []}
    assert doc["indicators"][0]["values"] == [
        {"date": dt.date(2025, 1, 1), "value": 60, "organisation": None},
        {"date": dt.date(2025, 2, 1), "value": 62.5, "organisation": None},
        {"date": dt.date(2025, 2, 1), "value": 70, "organisation": "umea"},
    ]
    assert doc["meetings"][0]["agenda"][1] == {
        "title": "Delmål", "commission": None, "milestone": "fm2025-bp3", "action": None,
        "recommendation": "r1"}


def test_validation_does_not_change_its_input():
    """The caller's parsed document is left untouched."""
    doc = valid_document()
    before = copy.deepcopy(doc)
    validate_document(doc)
    assert doc == before


def test_default_lists_are_not_shared():
    """Each entry gets its own empty list, so filling one does not fill another."""
    doc = validate_document(
        {
            "format": FORMAT,
            "areas": [{"key": "a", "name": "A"}],
            "forums": [
                {"key": "f", "name": "F", "kind": "political", "level": "local"},
                {"key": "g", "name": "G", "kind": "political", "level": "local"},
            ],
        }
    )
    doc["forums"][0]["areas"].append("a")
    assert doc["forums"][1]["areas"] == []
