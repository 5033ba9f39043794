"""Reading and writing `samverkan/1` JSON text: strict parsing, located errors, round trips."""

import datetime as dt
import json

import pytest

from portal.exchange.validator import (
    FORMAT,
    LISTS,
    ExchangeValidationError,
    dump_document,
    load_document,
    parse_json,
    validate_document,
)
from tests.exchange.validator_sample import valid_document


def parse_error(text: object) -> str:
    """The single error line parse_json gives for `text`."""
    with pytest.raises(ExchangeValidationError) as info:
        parse_json(text)
    assert len(info.value.errors) == 1
    return str(info.value)


# --- Parsing -------------------------------------------------------------------------------


def test_valid_text_and_bytes_parse_alike():
    """JSON given as text or as UTF-8 bytes gives the same value."""
    text = '{"format": "samverkan/1", "areas": [{"key": "a", "name": "Åre"}]}'
    assert parse_json(text) == parse_json(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "line 1, column 1: Expecting value"),
        ('{"format": }', "line 1, column 12: Expecting value"),
        ('{\n  "format": "samverkan/1",\n  "areas": [,]\n}', "line 3, column 13: Expecting value"),
        ('{"a": 1 "b": 2}', "line 1, column 9: Expecting ',' delimiter"),
        ('{"a": 1} x', "line 1, column 10: Extra data"),
        ("{'a': 1}", "line 1, column 2: Expecting property name enclosed in double quotes"),
        ('{"a": "x\ny"}', "line 1, column 9: Invalid control character at"),
    ],
)
def test_invalid_json_is_located(text, error):
    """Malformed JSON is reported with its line and column."""
    assert parse_error(text) == f"document: invalid JSON at {error}"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"a": NaN}', "line 1, column 7: NaN is not allowed in JSON"),
        (
            '{"a": "NaN",\n "b": [1, Infinity]}',
            "line 2, column 11: Infinity is not allowed in JSON",
        ),
        ("[-Infinity]", "line 1, column 2: -Infinity is not allowed in JSON"),
        ('{"x": "1e999", "a": 1e999}', "line 1, column 21: number 1e999 is out of range"),
        ("[1, 2, " + "9" * 5000 + "]", "line 1, column 8: number with 5000 digits is out of range"),
    ],
)
def test_nan_infinity_and_huge_numbers_are_refused(text, error):
    """NaN, Infinity and numbers no float or int can hold are located errors."""
    assert parse_error(text) == f"document: invalid JSON at {error}"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"format": "a", "format": "b"}', 'line 1, column 1: duplicate key "format"'),
        ('{"areas": [\n  {"key": "a",\n   "key": "b"}]}', 'line 2, column 3: duplicate key "key"'),
        ('{"a": {"k": 1}, "b": {"k": 1, "k": 2}}', 'line 1, column 22: duplicate key "k"'),
    ],
)
def test_duplicate_keys_in_one_object_are_refused(text, error):
    """A key repeated in one JSON object is located at that object, not silently dropped."""
    assert parse_error(text) == f"document: invalid JSON at {error} in one object"


def test_same_key_in_different_objects_is_fine():
    """Objects side by side may use the same keys."""
    assert parse_json('[{"key": "a"}, {"key": "b"}]') == [{"key": "a"}, {"key": "b"}]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'{"name": "\xff"}', "line 1, column 11"),
        (b'{\n "name": "\xc3\xa5\xc3"}', "line 2, column 12"),
        ('{"a": 1}'.encode("utf-16"), "line 1, column 1"),
    ],
)
def test_invalid_utf8_is_located(data, error):
    """Bytes that are not UTF-8 are reported where the first bad byte is."""
    assert parse_error(data) == f"document: invalid UTF-8 at {error}"


@pytest.mark.parametrize("text", ['\ufeff{"a": 1}', b'\xef\xbb\xbf{"a": 1}'])
def test_utf8_byte_order_mark_is_ignored(text):
    """A leading byte order mark, as some editors write, is not part of the document."""
    assert parse_json(text) == {"a": 1}


def test_deep_nesting_is_refused():
    """JSON nested too deeply for the parser is an error, not a crash."""
    assert parse_error("[" * 100_000) == "document: invalid JSON: nested too deeply"


@pytest.mark.parametrize(("value", "kind"), [(5, "int"), (None, "NoneType"), (["{}"], "list")])
def test_non_text_input_is_refused(value, kind):
    """Only str and bytes are JSON text."""
    assert parse_error(value) == f"document: expected JSON text, got {kind}"


def test_load_document_parses_and_validates():
    """load_document reports validation errors of well-formed JSON."""
    with pytest.raises(ExchangeValidationError) as info:
        load_document(b'{"format": "samverkan/1", "areas": [{"key": "a b", "name": "x"}]}')
    assert str(info.value) == 'areas[#0].key: invalid key "a b"'


# --- Writing and round trips -----------------------------------------------------------------


def test_dump_then_load_gives_the_same_document():
    """A normalized document written as JSON and read back is equal to itself."""
    doc = validate_document(valid_document())
    assert load_document(dump_document(doc)) == doc
    assert load_document(dump_document(doc, indent=None).encode()) == doc


def test_dump_writes_dates_as_text_and_keeps_non_ascii():
    """Dates are written YYYY-MM-DD and Swedish letters are written as themselves."""
    text = dump_document(validate_document(valid_document()))
    assert '"due": "2025-10-31"' in text
    assert '"Region Västerbotten"' in text


def test_dump_orders_lists_and_fields_stably():
    """Format first, lists in dependency order, `key` first in each entry."""
    doc = {name: [] for name in reversed(LISTS)}
    doc["areas"] = [{"description": None, "name": "A", "key": "a"}]
    doc["format"] = FORMAT
    written = json.loads(dump_document(doc))
    assert list(written) == ["format", *LISTS]
    assert list(written["areas"][0]) == ["key", "name", "description"]


def test_dump_without_indent_is_one_line():
    """indent=None gives compact single-line JSON."""
    assert "\n" not in dump_document(validate_document(valid_document()), indent=None)


def test_dump_refuses_datetimes():
    """A datetime is not a date: writing it would lose or invent a time."""
    doc = {"format": FORMAT, "decisions": [{"key": "d", "date": dt.datetime(2025, 1, 1)}]}
    with pytest.raises(TypeError):
        dump_document(doc)
