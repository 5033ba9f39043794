"""Properties of the validator: whatever comes in, the only failure is a located error."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.exchange.schema import (
    AGENDA_ITEM,
    FIELDS,
    FORUM_MEMBER,
    INDICATOR_VALUE,
    Field,
    Kind,
)
from portal.exchange.validator import (
    FORMAT,
    LISTS,
    ExchangeError,
    ExchangeValidationError,
    dump_document,
    load_document,
    validate_document,
)
from tests.exchange.validator_sample import valid_document, with_entry

PROPERTY = settings(
    max_examples=300,
    deadline=None,
    database=None,  # leave no .hypothesis folder in the shared working tree
    suppress_health_check=[HealthCheck.too_slow],
)

# Field names and keys of the sample, so generated values reach the deeper checks.
NAMES = sorted(
    {"format", "key", *LISTS}
    | {
        field.name
        for fields in (*FIELDS.values(), FORUM_MEMBER, INDICATOR_VALUE, AGENDA_ITEM)
        for field in fields
    }
)
WORDS = ["rv", "p1", "lsg", "kontinuitet", "fm2025", "r1", "a1", "chair", "region", "2025-01-01"]

# Surrogates and control characters included: a Python caller can pass any str.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "a b", "å"]
)
# Integers beyond the range of a float, which the database stores numbers as.
huge_numbers = st.integers(min_value=2**1024) | st.integers(max_value=-(2**1024))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | huge_numbers
    | st.floats()
    | any_text
    | st.sampled_from(WORDS)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(NAMES) | any_text, children, max_size=6)
    ),
    max_leaves=40,
)


# Values near each kind's edges (huge numbers, bad dates, known keys) plus anything at all.
edge_values = {
    Kind.TEXT: any_text | st.text(max_size=3) | st.just(" "),
    Kind.BOOL: st.booleans() | st.integers(0, 1),
    Kind.INT: st.integers(-2, 102) | st.floats(-1, 101) | st.booleans() | huge_numbers,
    Kind.NUMBER: st.integers() | st.floats() | st.booleans() | huge_numbers,
    Kind.DATE: st.dates().map(str) | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    Kind.ENUM: st.sampled_from(["region", "chair", "active", "planned", "Region", ""]),
    Kind.REF: st.sampled_from(WORDS) | any_text,
    Kind.TIME: st.sampled_from(["07:30", "7:30", "24:00", "23:59", "00:00", "12:60", ""])
    | any_text,
    Kind.URL: st.sampled_from(["https://example.org/a", "http://x", "javascript:alert(1)",
                               "https://", "https:// x"]) | any_text,
}


def value_of(field: Field) -> st.SearchStrategy[object]:
    """Values for one field: mostly of its own kind, sometimes anything."""
    if field.kind in (Kind.REFS, Kind.TEXTS):
        specific = st.lists(edge_values[Kind.REF] | edge_values[Kind.TEXT], max_size=4)
    elif field.kind is Kind.OBJECTS:
        specific = st.lists(entry_of(field.items) | json_values, max_size=4)
    else:
        specific = edge_values[field.kind]
    return st.none() | specific | json_values


def entry_of(fields: tuple[Field, ...]) -> st.SearchStrategy[dict]:
    """An object with any of these fields, a key, or a stray field."""
    optional = {field.name: value_of(field) for field in fields}
    optional["key"] = st.sampled_from(WORDS) | any_text
    optional["stray"] = json_values
    return st.fixed_dictionaries({}, optional=optional)


documents = st.fixed_dictionaries(
    {"format": st.just(FORMAT) | json_values},
    optional={
        name: st.lists(entry_of(FIELDS[name]) | json_values, max_size=3) | json_values
        for name in LISTS
    },
)

LOCATED_REF = re.compile(r"[A-Za-z0-9_.-]{1,64}|#[0-9]+")


def assert_clean_failure(exc: ExchangeValidationError) -> None:
    """The error is a non-empty list of located, printable, ordered errors."""
    assert exc.errors
    assert str(exc) == "\n".join(str(error) for error in exc.errors)
    str(exc).encode("utf-8")  # printable: no unpaired surrogates leak into messages
    order = []
    for error in exc.errors:
        assert isinstance(error, ExchangeError)
        assert error.message
        if error.list is None:
            assert error.ref is None
            order.append(-1)
        else:
            assert error.list in LISTS
            assert error.ref is None or LOCATED_REF.fullmatch(error.ref)
            order.append(LISTS.index(error.list))
    if str(exc.errors[-1]).startswith("document: too many errors"):
        order.pop()
    assert order == sorted(order), "errors are ordered: document, then list by list"


def validate_cleanly(data: object) -> dict | None:
    """Validate, accepting only success or a clean validation error."""
    try:
        return validate_document(data)
    except ExchangeValidationError as exc:
        assert_clean_failure(exc)
        return None


@PROPERTY
@given(json_values)
def test_any_json_value_validates_or_fails_cleanly(value):
    """Any JSON-like value either validates or raises a located ExchangeValidationError."""
    validate_cleanly(value)


@settings(PROPERTY, max_examples=150)
@given(documents)
def test_any_document_shaped_value_validates_or_fails_cleanly(doc):
    """Documents with the right field names but arbitrary values fail only cleanly."""
    validate_cleanly(doc)


FIELD_CHOICES = [(name, field) for name in LISTS for field in FIELDS[name]]

# Awkward values tried in every field and list item, so rare kinds are never left to chance.
NASTY = [
    None, True, 0, -1, 101, 2**1024, -(2**1024), 10**5000, 3.0, -0.0, 1e308,
    float("nan"), float("inf"), "", " ", "\x00", "\ud800", "x" * 20_001, "rv", "2025-02-30",
    "2025-01-01", "chair", [], [None], ["p1", "p1"], [{}], [{"person": "p1"}], {}, {"key": "x"},
    object(),
]  # fmt: skip


@pytest.mark.parametrize(
    ("list_name", "field"), FIELD_CHOICES, ids=[f"{n}.{f.name}" for n, f in FIELD_CHOICES]
)
def test_awkward_values_in_every_field_fail_cleanly(list_name, field):
    """Each awkward value, as a field or as an item of a list field, fails only cleanly."""
    for value in NASTY:
        items = [{item.name: value for item in field.items}] if field.items else []
        for given_value in (value, [value], [value, value], items):
            validate_cleanly(with_entry(list_name, **{field.name: given_value}))


@PROPERTY
@given(
    st.sampled_from(FIELD_CHOICES).flatmap(lambda pair: st.tuples(st.just(pair), value_of(pair[1])))
)
def test_any_value_in_any_field_fails_cleanly(choice):
    """Whatever one field of an otherwise valid entry holds, failure is only a clean error."""
    (list_name, field), value = choice
    normalized = validate_cleanly(with_entry(list_name, **{field.name: value}))
    if normalized is not None:
        assert load_document(dump_document(normalized)) == normalized


@PROPERTY
@given(st.one_of(any_text, st.binary(), st.text(alphabet='{}[]":,0123456789.eE-+ \nnulltrueNaN')))
def test_any_text_loads_or_fails_cleanly(text):
    """Any text or bytes either loads or raises ExchangeValidationError."""
    try:
        load_document(text)
    except ExchangeValidationError as exc:
        assert_clean_failure(exc)


@PROPERTY
@given(json_values, st.data())
def test_damaged_json_text_fails_cleanly(value, data):
    """JSON text with a character inserted or removed fails only cleanly."""
    text = json.dumps(value)
    at = data.draw(st.integers(0, len(text)))
    if data.draw(st.booleans()):
        text = text[:at] + data.draw(st.sampled_from('{}[]",:\\ 0eN')) + text[at:]
    else:
        text = text[:at] + text[at + 1 :]
    try:
        load_document(text)
    except ExchangeValidationError as exc:
        assert_clean_failure(exc)


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (sequence of dict keys and list indexes) inside a JSON value."""
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


def mutate(doc: dict, data: st.DataObject) -> None:
    """Change one place in the document: replace, delete, duplicate or add a field."""
    path = data.draw(st.sampled_from(paths(doc)[1:]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = data.draw(st.sampled_from(["replace", "delete", "duplicate", "add"]))
    if action == "replace":
        parent[last] = data.draw(json_values)
    elif action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif isinstance(parent, dict):
        parent[data.draw(st.sampled_from(NAMES))] = data.draw(json_values)


@PROPERTY
@given(st.data())
def test_mutated_valid_document_fails_cleanly_or_round_trips(data):
    """A valid document changed in a few places fails cleanly, or survives dump and load."""
    doc = valid_document()
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(doc, data)
    normalized = validate_cleanly(doc)
    if normalized is not None:
        assert load_document(dump_document(normalized)) == normalized


@PROPERTY
@given(st.integers(1, 30))
def test_error_limit_is_respected(limit):
    """At most max_errors errors, plus one line saying validation stopped early."""
    doc = {"format": FORMAT, "areas": [{"key": f"a{i}"} for i in range(25)]}
    with pytest.raises(ExchangeValidationError) as info:
        validate_document(doc, max_errors=limit)
    assert_clean_failure(info.value)
    errors = [str(error) for error in info.value.errors]
    if limit < 25:
        assert errors[limit:] == [f"document: too many errors, stopped after {limit}"]
    else:
        assert len(errors) == 25
