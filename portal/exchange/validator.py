"""Parse, validate, normalize and write documents in the exchange format `samverkan/1`.

Pure standard library, so the importer, the exporter and the tests use it without an app.
"""

from __future__ import annotations

import datetime as dt
import json
import json.decoder
import json.scanner
import math
import re
import sys
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from portal.exchange.schema import (
    FIELDS,
    FORMAT,
    KEY_LENGTH,
    LISTS,
    MAX_ENTRIES,
    NOUNS,
    Field,
    Kind,
)

__all__ = [
    "FORMAT",
    "LISTS",
    "ExchangeError",
    "ExchangeValidationError",
    "Existing",
    "dump_document",
    "load_document",
    "parse_json",
    "validate_document",
]

# An ASCII class and fullmatch: `\w` would admit "å" and `$` a trailing newline.
KEY_RE = re.compile(r"[A-Za-z0-9_.-]+")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The database cannot store NUL or unpaired surrogates, so they are refused here, not at commit.
BAD_CHAR_RE = re.compile("[\x00\ud800-\udfff]")
# Skips whole strings so that only number-like tokens outside them are looked at.
TOKEN_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN|-?[0-9][0-9.eE+-]*)', re.DOTALL)
# Unknown field names are user text: only plain ones go into an error's place unquoted.
PLAIN_NAME_RE = re.compile(r"[A-Za-z0-9_]{1,64}")
SHOWN_CHARS = 60
_ALLOWED = {name: frozenset({"key", *(field.name for field in FIELDS[name])}) for name in LISTS}


@dataclass(frozen=True)
class ExchangeError:
    """One problem in a document, located by list, entry and field."""

    list: str | None
    ref: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.list is None:
            return f"{self.field or 'document'}: {self.message}"
        where = self.list if self.ref is None else f"{self.list}[{self.ref}]"
        if self.field:
            where += f".{self.field}"
        return f"{where}: {self.message}"


class ExchangeValidationError(ValueError):
    """A document that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[ExchangeError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))

    def __reduce__(self) -> tuple:
        # Rebuild from the errors, not the joined text, when sent to another process.
        return (type(self), (self.errors,))


@dataclass(frozen=True)
class Existing:
    """Keys already in the database, so a partial import may reference them."""

    keys: Mapping[str, AbstractSet[str]]
    org_parents: Mapping[str, str | None] = dataclass_field(default_factory=dict)


def parse_json(text: str | bytes) -> object:
    """Parse strict JSON text (UTF-8 when bytes), refusing NaN, Infinity and repeated keys."""
    if isinstance(text, bytes | bytearray):
        text = _decode_utf8(bytes(text))
    elif not isinstance(text, str):
        raise _document_error(f"expected JSON text, got {type(text).__name__}")
    # Windows editors often start UTF-8 files with a byte order mark; it carries no content.
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise _document_error(_at(exc.lineno, exc.colno, exc.msg)) from None
    except _DuplicateKey as exc:
        raise _document_error(_duplicate_message(text, exc.key)) from None
    except RecursionError:
        raise _document_error("invalid JSON: nested too deeply") from None
    except (_BadNumber, ValueError):
        # ValueError here means an integer longer than Python converts (sys.int_info).
        raise _document_error(_bad_number_message(text)) from None


def validate_document(
    data: object, existing: Existing | None = None, max_errors: int = 100
) -> dict:
    """Check a parsed document against `samverkan/1` and return it normalized."""
    errors = _Errors(max_errors)
    doc: dict = {}
    try:
        doc = _Checker(errors, existing or Existing({})).document(data)
    except _TooMany:
        errors.items.append(
            ExchangeError(None, None, None, f"too many errors, stopped after {errors.limit}")
        )
    if errors.items:
        raise ExchangeValidationError(errors.items)
    return doc


def load_document(text: str | bytes, existing: Existing | None = None) -> dict:
    """Parse JSON text and validate it: the one call an importer needs."""
    return validate_document(parse_json(text), existing)


def dump_document(doc: dict, indent: int | None = 2) -> str:
    """Write a normalized document as JSON text with a stable order of lists and fields."""
    ordered: dict[str, object] = {"format": doc.get("format", FORMAT)}
    for name in LISTS:
        if name in doc:
            ordered[name] = [_ordered_entry(name, entry) for entry in doc[name]]
    return json.dumps(
        ordered, indent=indent, ensure_ascii=False, allow_nan=False, default=_json_default
    )


def _ordered_entry(name: str, entry: dict) -> dict:
    """The entry with `key` first and the other fields in table order, unknown ones last."""
    order = ["key", *(field.name for field in FIELDS[name])]
    ordered = {field: entry[field] for field in order if field in entry}
    ordered.update((field, value) for field, value in entry.items() if field not in ordered)
    return ordered


def _json_default(value: object) -> object:
    """Dates as YYYY-MM-DD; a datetime is refused because its time would be lost."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} in a samverkan/1 document")


# --- JSON text ------------------------------------------------------------------------------


class _DuplicateKey(Exception):
    """A key repeated inside one JSON object (json would silently keep the last)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
        self.at: int | None = None


class _BadNumber(Exception):
    """NaN, Infinity or a number too large for a float."""


def _document_error(message: str) -> ExchangeValidationError:
    """A validation error about the document as a whole."""
    return ExchangeValidationError([ExchangeError(None, None, None, message)])


def _at(line: int, column: int, message: str) -> str:
    """An 'invalid JSON' message located by line and column."""
    return f"invalid JSON at line {line}, column {column}: {message}"


def _position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character index, counted as json does."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _decode_utf8(data: bytes) -> str:
    """Decode UTF-8, locating the first invalid byte sequence."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line, column = _position(before, len(before))
        raise _document_error(f"invalid UTF-8 at line {line}, column {column}") from None


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict:
    """Build a JSON object, refusing a repeated key."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def _refuse_constant(name: str) -> float:
    """NaN and Infinity are JavaScript, not JSON."""
    raise _BadNumber(name)


def _finite_float(text: str) -> float:
    """A JSON fraction, refusing ones like 1e400 that only fit as infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text)
    return value


def _duplicate_message(text: str, key: str) -> str:
    """Locate the object holding a repeated key by parsing again, slower, with positions."""

    def parse_object(s_and_end: tuple[str, int], *args: object) -> tuple[dict, int]:
        try:
            return json.decoder.JSONObject(s_and_end, *args)
        except _DuplicateKey as exc:
            # Inner objects fail first; outer ones must not move the position.
            if exc.at is None:
                exc.at = s_and_end[1] - 1
            raise

    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs)
    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    message = f"duplicate key {_show(key)} in one object"
    try:
        decoder.decode(text)
    except _DuplicateKey as exc:
        if exc.at is not None:
            return _at(*_position(text, exc.at), message)
    except (ValueError, RecursionError):
        pass
    return f"invalid JSON: {message}"


def _bad_number_message(text: str) -> str:
    """Locate the first number outside strings that is NaN, infinite or too long."""
    for match in TOKEN_RE.finditer(text):
        reason = _number_problem(match.group(1) or "")
        if reason:
            return _at(*_position(text, match.start(1)), reason)
    return "invalid JSON: NaN, Infinity or a number out of range"


def _number_problem(token: str) -> str | None:
    """Why a number token cannot be stored, or None if it can."""
    if token.lstrip("-") in ("NaN", "Infinity"):
        return f"{token} is not allowed in JSON"
    if any(mark in token for mark in ".eE"):
        try:
            finite = math.isfinite(float(token))
        except ValueError:
            return None
        return None if finite else f"number {_clip(token)} is out of range"
    digits = len(token.lstrip("-"))
    if digits > sys.get_int_max_str_digits() > 0:
        return f"number with {digits} digits is out of range"
    return None


# --- Messages -------------------------------------------------------------------------------


def _clip(text: str) -> str:
    """Shorten long user text so one error message stays readable."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _show(value: object) -> str:
    """A short, printable rendering of a user's value, JSON style."""
    if isinstance(value, str):
        quoted = json.dumps(_clip(value), ensure_ascii=False)
        # Unpaired surrogates would break printing the message, so show them escaped.
        return quoted.encode("utf-8", "backslashreplace").decode("utf-8")
    if value is None or isinstance(value, bool | int | float):
        try:
            return _clip(json.dumps(value))
        except ValueError:  # an integer too long to print
            return "a very large number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


def _field_name(name: object) -> str:
    """An unknown field's name as it appears in an error's place, quoted unless plain."""
    if isinstance(name, str) and PLAIN_NAME_RE.fullmatch(name):
        return name
    return _show(name)


# --- Validation -----------------------------------------------------------------------------


class _TooMany(Exception):
    """Raised to stop validating once the error limit is reached."""


class _Errors:
    """Collects errors in the order found, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.items: list[ExchangeError] = []
        self.limit = max(1, limit)

    def add(self, name: str | None, ref: str | None, field: str | None, message: str) -> None:
        """Record one error, or stop when the limit has been reached."""
        if len(self.items) >= self.limit:
            raise _TooMany
        self.items.append(ExchangeError(name, ref, field, message))


@dataclass
class _Entry:
    """Where errors of one entry are reported."""

    errors: _Errors
    name: str
    ref: str

    def error(self, field: str | None, message: str) -> None:
        """Report a problem with a field (None: the entry itself) of this entry."""
        self.errors.add(self.name, self.ref, field, message)


def _raw_lists(data: dict) -> dict[str, tuple[list, str | None]]:
    """Each list's entries and, if the list itself is wrong, the problem with it."""
    lists: dict[str, tuple[list, str | None]] = {}
    for name in LISTS:
        value = data.get(name)
        if value is None:
            lists[name] = ([], None)
        elif not isinstance(value, list):
            lists[name] = ([], f"expected an array, got {_show(value)}")
        elif len(value) > MAX_ENTRIES:
            lists[name] = (value, f"too many entries ({len(value)}, at most {MAX_ENTRIES})")
        else:
            lists[name] = (value, None)
    return lists


def _valid_key(value: object) -> bool:
    """Whether a value is a syntactically valid key."""
    return isinstance(value, str) and len(value) <= KEY_LENGTH and bool(KEY_RE.fullmatch(value))


def _first_indexes(entries: list) -> dict[str, int]:
    """Each valid key of a list and the index of the entry that first uses it."""
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        key = entry.get("key") if isinstance(entry, dict) else None
        if _valid_key(key):
            first.setdefault(key, index)
    return first


def _org_cycles(entries: list, first: dict[str, int], stored: Mapping) -> dict[int, str]:
    """Messages for the organisations (by entry index) that are their own ancestor."""
    parents = dict(stored)
    for key, index in first.items():
        parent = entries[index].get("parent")
        parents[key] = parent if isinstance(parent, str) else None
    ring = _nodes_on_cycles(parents)
    return {index: _cycle_message(key, parents) for key, index in first.items() if key in ring}


def _nodes_on_cycles(parents: dict) -> set:
    """The nodes that lie on a cycle of a graph where each node has at most one parent."""
    done: set = set()
    ring: set = set()
    for start in parents:
        path: dict = {}
        node = start
        while node in parents and node not in done and node not in path:
            path[node] = len(path)
            node = parents[node]
        if node in path:
            ring.update(list(path)[path[node] :])
        done.update(path)
    return ring


def _cycle_message(key: str, parents: dict) -> str:
    """Describe the parent chain that leads an organisation back to itself."""
    chain = [key]
    node = parents[key]
    while node != key and len(chain) < 8:
        chain.append(node)
        node = parents[node]
    chain += [key] if node == key else ["…", key]
    return f"organisation {_show(key)} is its own ancestor: {' -> '.join(map(str, chain))}"


class _Checker:
    """Validates one document, knowing every key it and the database hold."""

    def __init__(self, errors: _Errors, existing: Existing) -> None:
        self.errors = errors
        self.existing = existing
        self.first: dict[str, dict[str, int]] = {}
        self.cycles: dict[int, str] = {}

    def document(self, data: object) -> dict:
        """Check the whole document and build its normalized form."""
        if not isinstance(data, dict):
            self.errors.add(None, None, None, f"expected a JSON object, got {_show(data)}")
            return {}
        self._top_level(data)
        lists = _raw_lists(data)
        self.first = {name: _first_indexes(entries) for name, (entries, _) in lists.items()}
        orgs = lists["organisations"][0]
        self.cycles = _org_cycles(orgs, self.first["organisations"], self.existing.org_parents)
        doc: dict = {"format": FORMAT}
        for name, (entries, problem) in lists.items():
            if problem:
                self.errors.add(name, None, None, problem)
            doc[name] = [self._entry(name, index, raw) for index, raw in enumerate(entries)]
        return doc

    def _top_level(self, data: dict) -> None:
        """Check the format marker and refuse unknown top-level fields."""
        marker = data.get("format")
        if marker is None:
            self.errors.add(None, None, "format", f'missing, expected "{FORMAT}"')
        elif marker != FORMAT:
            self.errors.add(None, None, "format", f'expected "{FORMAT}", got {_show(marker)}')
        for name in data:
            if name != "format" and name not in LISTS:
                self.errors.add(None, None, _field_name(name), "unknown field")

    def _known(self, target: str, key: str) -> bool:
        """Whether a key exists in the document's list or among the stored ones."""
        return key in self.first[target] or key in self.existing.keys.get(target, ())

    def _entry(self, name: str, index: int, raw: object) -> dict | None:
        """Check one entry and return it normalized."""
        if not isinstance(raw, dict):
            self.errors.add(name, f"#{index}", None, f"expected an object, got {_show(raw)}")
            return None
        key = raw.get("key")
        entry = _Entry(self.errors, name, key if _valid_key(key) else f"#{index}")
        self._key(entry, name, index, key)
        self._unknown_fields(entry, None, raw, _ALLOWED[name])
        out: dict = {"key": key}
        for field in FIELDS[name]:
            out[field.name] = self._value(entry, field.name, field, raw.get(field.name))
        if name == "commissions":
            _check_period(entry, out["start"], out["end"])
        if name == "organisations" and index in self.cycles:
            entry.error("parent", self.cycles[index])
        return out

    def _key(self, entry: _Entry, name: str, index: int, key: object) -> None:
        """Check an entry's key: present, well formed and not used before in its list."""
        if key is None:
            entry.error("key", "missing (required)")
        elif not isinstance(key, str):
            entry.error("key", f"expected a string, got {_show(key)}")
        elif not key.strip():
            entry.error("key", "empty (required)")
        elif len(key) > KEY_LENGTH:
            entry.error("key", f"invalid key {_show(key)} (longer than {KEY_LENGTH} characters)")
        elif not KEY_RE.fullmatch(key):
            entry.error("key", f"invalid key {_show(key)}")
        elif self.first[name][key] != index:
            entry.error("key", f"duplicate key {_show(key)}")

    def _unknown_fields(
        self, entry: _Entry, path: str | None, raw: dict, allowed: AbstractSet[str]
    ) -> None:
        """Refuse fields the format does not define, so typos do not pass silently."""
        for name in raw:
            if name not in allowed:
                shown = _field_name(name)
                entry.error(f"{path}.{shown}" if path else shown, "unknown field")

    def _value(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Check one field's value and return it normalized (defaults filled)."""
        if value is None:
            if field.required:
                entry.error(path, "missing (required)")
            return [] if field.is_list else field.default
        if field.required and isinstance(value, str) and not value.strip():
            entry.error(path, "empty (required)")
            return None
        return _CHECKS[field.kind](self, entry, path, field, value)

    def _text(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A string within the field's length limit."""
        if not isinstance(value, str):
            entry.error(path, f"expected a string, got {_show(value)}")
        elif bad := BAD_CHAR_RE.search(value):
            what = "a NUL character" if bad.group() == "\x00" else "an unpaired surrogate"
            entry.error(path, f"contains {what}, which is not allowed in text")
        elif len(value) > field.limit:
            entry.error(path, f"too long ({len(value)} characters, at most {field.limit})")
        return value

    def _bool(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Exactly true or false."""
        if not isinstance(value, bool):
            entry.error(path, f"expected true or false, got {_show(value)}")
        return value

    def _int(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A JSON number without a fraction, within the field's range."""
        if isinstance(value, bool) or not isinstance(value, int):
            entry.error(path, f"expected an integer, got {_show(value)}")
        elif not field.low <= value <= field.high:
            entry.error(path, f"must be between {field.low} and {field.high}, got {_show(value)}")
        return value

    def _number(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """An integer or a finite fraction that fits in a float."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            entry.error(path, f"expected a number, got {_show(value)}")
        elif not _fits_float(value):
            entry.error(path, f"number out of range: {_show(value)}")
        return value

    def _date(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A real calendar date written YYYY-MM-DD, returned as a date."""
        if not isinstance(value, str) or not DATE_RE.fullmatch(value):
            entry.error(path, f"invalid date {_show(value)}, expected YYYY-MM-DD")
            return None
        try:
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            entry.error(path, f"invalid date {_show(value)}, no such day")
            return None

    def _enum(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """One of the listed words, case-sensitive."""
        if not isinstance(value, str) or value not in field.choices:
            choices = ", ".join(field.choices)
            entry.error(path, f"invalid value {_show(value)}, expected one of: {choices}")
        return value

    def _ref(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """The key of an entry in the target list, in the document or the database."""
        if not isinstance(value, str):
            entry.error(path, f"expected a string, got {_show(value)}")
        elif not self._known(field.target, value):
            entry.error(path, f"unknown {NOUNS[field.target]} {_show(value)}")
        return value

    def _refs(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Distinct keys of entries in the target list."""
        if not isinstance(value, list):
            entry.error(path, f"expected an array, got {_show(value)}")
            return []
        seen: set[str] = set()
        for index, item in enumerate(value):
            if isinstance(item, str) and item in seen:
                entry.error(f"{path}[{index}]", f"duplicate {NOUNS[field.target]} {_show(item)}")
                continue
            self._ref(entry, f"{path}[{index}]", field, item)
            if isinstance(item, str):
                seen.add(item)
        return list(value)

    def _texts(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Strings, each within the field's limit; free text may repeat."""
        if not isinstance(value, list):
            entry.error(path, f"expected an array, got {_show(value)}")
            return []
        return [self._text(entry, f"{path}[{i}]", field, item) for i, item in enumerate(value)]

    def _objects(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Small objects such as forum members, none repeating the field's unique part."""
        if not isinstance(value, list):
            entry.error(path, f"expected an array, got {_show(value)}")
            return []
        allowed = {item.name for item in field.items}
        unique = next(item for item in field.items if item.name == field.unique_by)
        seen: set = set()
        out: list[dict] = []
        for index, raw in enumerate(value):
            where = f"{path}[{index}]"
            if not isinstance(raw, dict):
                entry.error(where, f"expected an object, got {_show(raw)}")
                continue
            self._unknown_fields(entry, where, raw, allowed)
            item = {
                sub.name: self._value(entry, f"{where}.{sub.name}", sub, raw.get(sub.name))
                for sub in field.items
            }
            self._unique(entry, f"{where}.{unique.name}", unique, item[unique.name], seen)
            out.append(item)
        return out

    def _unique(self, entry: _Entry, path: str, field: Field, mark: object, seen: set) -> None:
        """Report an item whose unique part (person, date) an earlier item already has."""
        if not isinstance(mark, str | dt.date):
            return  # already reported as the wrong type
        if mark in seen:
            what = NOUNS[field.target] if field.target else field.name
            shown = mark.isoformat() if isinstance(mark, dt.date) else _show(mark)
            entry.error(path, f"duplicate {what} {shown}")
        seen.add(mark)


_CHECKS = {
    Kind.TEXT: _Checker._text,
    Kind.BOOL: _Checker._bool,
    Kind.INT: _Checker._int,
    Kind.NUMBER: _Checker._number,
    Kind.DATE: _Checker._date,
    Kind.ENUM: _Checker._enum,
    Kind.REF: _Checker._ref,
    Kind.REFS: _Checker._refs,
    Kind.TEXTS: _Checker._texts,
    Kind.OBJECTS: _Checker._objects,
}


def _fits_float(value: int | float) -> bool:
    """Whether a number is finite and representable as a float (the database's type)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _check_period(entry: _Entry, start: object, end: object) -> None:
    """A commission may not end before it starts."""
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
        entry.error("end", f"end {end.isoformat()} is before start {start.isoformat()}")
