"""Parse, validate, normalize and write documents in the exchange format `samverkan/1`.

Pure standard library, so the importer, the exporter and the tests use it without an app.
Every problem is an `ExchangeError(list, ref, field, code, params)`; `portal.exchange.codes`
turns the code and params into text, in English or (through the catalogues) the user's language.
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
from typing import Any

from portal.exchange.codes import Shown, clip, render, show
from portal.exchange.schema import (
    FIELDS,
    FIRST_DATE,
    FORMAT,
    HELD_ONLY,
    KEY_LENGTH,
    LAST_DATE,
    LISTS,
    MAX_ENTRIES,
    SET_FIELDS,
    Field,
    Kind,
)

__all__ = [
    "FORMAT",
    "LISTS",
    "ExchangeError",
    "ExchangeValidationError",
    "Existing",
    "StoredMeeting",
    "canonical",
    "check_document",
    "dump_document",
    "load_document",
    "parse_json",
    "references",
    "validate_document",
]

# An ASCII class and fullmatch: `\w` would admit "å" and `$` a trailing newline.
KEY_RE = re.compile(r"[A-Za-z0-9_.-]+")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# The database cannot store NUL or unpaired surrogates, so they are refused here, not at commit.
BAD_CHAR_RE = re.compile("[\x00\ud800-\udfff]")
# Skips whole strings so that only number-like tokens outside them are looked at.
TOKEN_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN|-?[0-9][0-9.eE+-]*)', re.DOTALL)
# Unknown field names are user text: only plain ones go into an error's place unquoted.
PLAIN_NAME_RE = re.compile(r"[A-Za-z0-9_]{1,64}")
_ALLOWED = {name: frozenset({"key", *(field.name for field in FIELDS[name])}) for name in LISTS}


@dataclass(frozen=True, init=False)
class ExchangeError:
    """One problem in a document: where (list, entry, field), what (code) and its details.

    `ExchangeError(list, ref, field, code, params)`; the English text is `message`.
    """

    list: str | None
    ref: str | None
    field: str | None
    code: str
    params: Mapping[str, Any]

    def __init__(
        self,
        list: str | None,  # noqa: A002 - the format's own word
        ref: str | None,
        field: str | None,
        code: str,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "list", list)
        object.__setattr__(self, "ref", ref)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", dict(params or {}))

    @property
    def location(self) -> str:
        """Where the problem is: `forums[lsg].reports_to`, `areas[#3].key`, `format`."""
        if self.list is None:
            return self.field or "document"
        where = self.list if self.ref is None else f"{self.list}[{self.ref}]"
        return f"{where}.{self.field}" if self.field else where

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return render(self.code, self.params)

    def text(self, translate=None) -> str:
        """`location: message`, the message translated by `translate` when given."""
        return f"{self.location}: {render(self.code, self.params, translate)}"

    def as_dict(self) -> dict[str, Any]:
        """The error as plain data (for the API and the audit trail)."""
        return {"list": self.list, "ref": self.ref, "field": self.field, "code": self.code,
                "params": {k: str(v) if isinstance(v, Shown) else v
                           for k, v in self.params.items()}}

    def __str__(self) -> str:
        return self.text()

    def __hash__(self) -> int:
        return hash((self.list, self.ref, self.field, self.code))


class ExchangeValidationError(ValueError):
    """A document that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[ExchangeError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))

    def __reduce__(self) -> tuple:
        # Rebuild from the errors, not the joined text, when sent to another process.
        return (type(self), (self.errors,))


@dataclass(frozen=True)
class StoredMeeting:
    """What the decision rules need to know of a meeting stored in the database."""

    forum: str
    status: str
    date: dt.date


@dataclass(frozen=True)
class Existing:
    """What the database already holds, so a partial import may refer to it.

    `keys`: per list, the stored keys (decisions: final ones only; drafts are in
    `draft_decisions`). `org_parents`, `document_parents`: key -> parent key, for cycles.
    `meetings`: key -> forum, status and date, for the decisions' meeting rules.
    `records`: per record list (decisions, status reports), key -> stored normalized entry.
    """

    keys: Mapping[str, AbstractSet[str]]
    org_parents: Mapping[str, str | None] = dataclass_field(default_factory=dict)
    document_parents: Mapping[str, str | None] = dataclass_field(default_factory=dict)
    meetings: Mapping[str, StoredMeeting] = dataclass_field(default_factory=dict)
    draft_decisions: AbstractSet[str] = frozenset()
    records: Mapping[str, Mapping[str, dict]] = dataclass_field(default_factory=dict)


def parse_json(text: str | bytes) -> object:
    """Parse strict JSON text (UTF-8 when bytes), refusing NaN, Infinity and repeated keys."""
    if isinstance(text, bytes | bytearray):
        text = _decode_utf8(bytes(text))
    elif not isinstance(text, str):
        raise _document_error("json_not_text", got=Shown(type(text).__name__))
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
        raise _document_error(
            "json_syntax", line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from None
    except _DuplicateKey as exc:
        raise _duplicate_error(text, exc.key) from None
    except RecursionError:
        raise _document_error("json_nested") from None
    except (_BadNumber, ValueError):
        # ValueError here means an integer longer than Python converts (sys.int_info).
        raise _bad_number_error(text) from None


def check_document(
    data: object, existing: Existing | None = None, max_errors: int = 100
) -> tuple[dict, list[ExchangeError]]:
    """Check a parsed document; return its normalized form and the errors (empty when valid).

    Nothing is raised and nothing is written: this is what a preview shows.
    """
    errors = _Errors(max_errors)
    doc: dict = {}
    try:
        doc = _Checker(errors, existing or Existing({})).document(data)
    except _TooMany:
        errors.items.append(
            ExchangeError(None, None, None, "too_many_errors", {"limit": errors.limit})
        )
    return doc, errors.items


def validate_document(
    data: object, existing: Existing | None = None, max_errors: int = 100
) -> dict:
    """Check a parsed document against `samverkan/1` and return it normalized.

    :raise ExchangeValidationError: with every located error found (up to `max_errors`).
    """
    doc, errors = check_document(data, existing, max_errors)
    if errors:
        raise ExchangeValidationError(errors)
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


def canonical(list_name: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """A normalized entry with its unordered list fields sorted, for comparing two versions.

    Two entries mean the same when their canonical forms are equal.
    """
    out = dict(entry)
    for name in SET_FIELDS.get(list_name, ()):
        if out.get(name) is not None:
            out[name] = sorted(out[name])
    if list_name == "forums":
        out["members"] = sorted(
            ({**m, "on_behalf_of": sorted(m.get("on_behalf_of") or [])}
             for m in out.get("members") or []),
            key=lambda m: m["person"],
        )
    if list_name == "indicators":
        out["values"] = sorted(
            (dict(v) for v in out.get("values") or []),
            key=lambda v: (v["date"], v.get("organisation") or ""),
        )
    if list_name == "meetings":
        out["agenda"] = [dict(item) for item in out.get("agenda") or []]
    return out


def references(list_name: str, entry: Mapping[str, Any]) -> dict[str, set[str]]:
    """The keys one (raw or normalized) entry refers to, by target list.

    A form that saves one entity loads only these from the database.
    """
    found: dict[str, set[str]] = {}

    def add(target: str, value: object) -> None:
        if isinstance(value, str):
            found.setdefault(target, set()).add(value)

    def walk(fields: tuple[Field, ...], source: Mapping[str, Any]) -> None:
        for field in fields:
            value = source.get(field.name)
            if field.kind is Kind.REF:
                add(field.target, value)
            elif field.kind is Kind.REFS and isinstance(value, list):
                for item in value:
                    add(field.target, item)
            elif field.kind is Kind.OBJECTS and isinstance(value, list):
                for item in value:
                    if isinstance(item, Mapping):
                        walk(field.items, item)

    walk(FIELDS[list_name], entry)
    return found


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


def _document_error(code: str, **params: object) -> ExchangeValidationError:
    """A validation error about the document as a whole."""
    return ExchangeValidationError([ExchangeError(None, None, None, code, params)])


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
        raise _document_error("json_utf8", line=line, column=column) from None


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


def _duplicate_error(text: str, key: str) -> ExchangeValidationError:
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
    try:
        decoder.decode(text)
    except _DuplicateKey as exc:
        if exc.at is not None:
            line, column = _position(text, exc.at)
            return _document_error("json_duplicate_key", line=line, column=column, key=key)
    except (ValueError, RecursionError):
        pass
    return _document_error("json_duplicate_key_somewhere", key=key)


def _bad_number_error(text: str) -> ExchangeValidationError:
    """Locate the first number outside strings that is NaN, infinite or too long."""
    for match in TOKEN_RE.finditer(text):
        problem = _number_problem(match.group(1) or "")
        if problem:
            line, column = _position(text, match.start(1))
            return _document_error(problem[0], line=line, column=column, **problem[1])
    return _document_error("json_number")


def _number_problem(token: str) -> tuple[str, dict] | None:
    """Why a number token cannot be stored (code and params), or None if it can."""
    if token.lstrip("-") in ("NaN", "Infinity"):
        return "json_constant", {"token": Shown(token)}
    if any(mark in token for mark in ".eE"):
        try:
            finite = math.isfinite(float(token))
        except ValueError:
            return None
        return None if finite else ("json_number_range", {"token": Shown(clip(token))})
    digits = len(token.lstrip("-"))
    if digits > sys.get_int_max_str_digits() > 0:
        return "json_number_digits", {"digits": digits}
    return None


def _got(value: object) -> Shown:
    """A user's value as a message shows it."""
    return Shown(show(value))


def _field_name(name: object) -> str:
    """An unknown field's name as it appears in an error's place, quoted unless plain."""
    if isinstance(name, str) and PLAIN_NAME_RE.fullmatch(name):
        return name
    return show(name)


# --- Validation -----------------------------------------------------------------------------


class _TooMany(Exception):
    """Raised to stop validating once the error limit is reached."""


class _Errors:
    """Collects errors in the order found, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.items: list[ExchangeError] = []
        self.limit = max(1, limit)

    def add(self, name: str | None, ref: str | None, field: str | None, code: str,
            **params: object) -> None:
        """Record one error, or stop when the limit has been reached."""
        if len(self.items) >= self.limit:
            raise _TooMany
        self.items.append(ExchangeError(name, ref, field, code, params))


@dataclass
class _Entry:
    """Where errors of one entry are reported."""

    errors: _Errors
    name: str
    ref: str

    def error(self, field: str | None, code: str, **params: object) -> None:
        """Report a problem with a field (None: the entry itself) of this entry."""
        self.errors.add(self.name, self.ref, field, code, **params)


def _raw_lists(data: dict) -> dict[str, tuple[list, tuple | None]]:
    """Each list's entries and, if the list itself is wrong, the problem with it."""
    lists: dict[str, tuple[list, tuple | None]] = {}
    for name in LISTS:
        value = data.get(name)
        if value is None:
            lists[name] = ([], None)
        elif not isinstance(value, list):
            lists[name] = ([], ("not_array", {"got": _got(value)}))
        elif len(value) > MAX_ENTRIES:
            lists[name] = (value, ("too_many_entries", {"count": len(value),
                                                         "limit": MAX_ENTRIES}))
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


def _parent_cycles(entries: list, first: dict[str, int], stored: Mapping) -> dict[int, dict]:
    """The entries (by index) that are their own ancestor through `parent`, with the chain."""
    parents = dict(stored)
    for key, index in first.items():
        parent = entries[index].get("parent")
        parents[key] = parent if isinstance(parent, str) else None
    ring = _nodes_on_cycles(parents)
    return {
        index: {"key": key, "chain": _chain(key, parents)}
        for key, index in first.items() if key in ring
    }


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


def _chain(key: str, parents: dict) -> str:
    """The parent chain that leads an entry back to itself: `a -> b -> a`."""
    chain = [key]
    node = parents[key]
    while node != key and len(chain) < 8:
        chain.append(node)
        node = parents[node]
    chain += [key] if node == key else ["…", key]
    return " -> ".join(map(str, chain))


class _Checker:
    """Validates one document, knowing every key it and the database hold."""

    def __init__(self, errors: _Errors, existing: Existing) -> None:
        self.errors = errors
        self.existing = existing
        self.first: dict[str, dict[str, int]] = {}
        self.cycles: dict[str, dict[int, dict]] = {}
        self.doc: dict = {}

    def document(self, data: object) -> dict:
        """Check the whole document and build its normalized form."""
        if not isinstance(data, dict):
            self.errors.add(None, None, None, "not_json_object", got=_got(data))
            return {}
        self._top_level(data)
        lists = _raw_lists(data)
        self.first = {name: _first_indexes(entries) for name, (entries, _) in lists.items()}
        self.cycles = {
            "organisations": _parent_cycles(
                lists["organisations"][0], self.first["organisations"], self.existing.org_parents
            ),
            "documents": _parent_cycles(
                lists["documents"][0], self.first["documents"], self.existing.document_parents
            ),
        }
        doc: dict = {"format": FORMAT}
        self.doc = doc
        for name, (entries, problem) in lists.items():
            if problem:
                self.errors.add(name, None, None, problem[0], **problem[1])
            doc[name] = [self._entry(name, index, raw) for index, raw in enumerate(entries)]
        return doc

    def _top_level(self, data: dict) -> None:
        """Check the format marker and refuse unknown top-level fields."""
        marker = data.get("format")
        if marker is None:
            self.errors.add(None, None, "format", "format_missing", expected=FORMAT)
        elif marker != FORMAT:
            self.errors.add(None, None, "format", "format_wrong", expected=FORMAT,
                            got=_got(marker))
        for name in data:
            if name != "format" and name not in LISTS:
                self.errors.add(None, None, _field_name(name), "unknown_field")

    def _known(self, target: str, key: str) -> bool:
        """Whether a key exists in the document's list or among the stored ones."""
        return key in self.first[target] or key in self.existing.keys.get(target, ())

    def _entry(self, name: str, index: int, raw: object) -> dict | None:
        """Check one entry and return it normalized."""
        if not isinstance(raw, dict):
            self.errors.add(name, f"#{index}", None, "not_object", got=_got(raw))
            return None
        key = raw.get("key")
        entry = _Entry(self.errors, name, key if _valid_key(key) else f"#{index}")
        self._key(entry, name, index, key)
        self._unknown_fields(entry, None, raw, _ALLOWED[name])
        out: dict = {"key": key}
        for field in FIELDS[name]:
            out[field.name] = self._value(entry, field.name, field, raw.get(field.name))
        rules = _RULES.get(name)
        if rules:
            rules(self, entry, index, out)
        self._record(entry, name, index, out)
        return out

    def _record(self, entry: _Entry, name: str, index: int, out: dict) -> None:
        """A stored record (final decision, status report) may only come again unchanged."""
        key = out["key"]
        if not _valid_key(key) or self.first[name].get(key) != index:
            return
        stored = self.existing.records.get(name, {}).get(key)
        if stored is None:
            return
        if canonical(name, stored) != canonical(name, out):
            code = "final_decision_changed" if name == "decisions" else "record_changed"
            entry.error(None, code)

    def _key(self, entry: _Entry, name: str, index: int, key: object) -> None:
        """Check an entry's key: present, well formed and not used before in its list."""
        if key is None:
            entry.error("key", "required")
        elif not isinstance(key, str):
            entry.error("key", "not_string", got=_got(key))
        elif not key.strip():
            entry.error("key", "empty")
        elif len(key) > KEY_LENGTH:
            entry.error("key", "key_too_long", key=key, limit=KEY_LENGTH)
        elif not KEY_RE.fullmatch(key):
            entry.error("key", "key_invalid", key=key)
        elif self.first[name][key] != index:
            entry.error("key", "key_duplicate", key=key)
        elif name == "decisions" and key in self.existing.draft_decisions:
            entry.error("key", "draft_decision_key", key=key)

    def _unknown_fields(
        self, entry: _Entry, path: str | None, raw: dict, allowed: AbstractSet[str]
    ) -> None:
        """Refuse fields the format does not define, so typos do not pass silently."""
        for name in raw:
            if name not in allowed:
                shown = _field_name(name)
                entry.error(f"{path}.{shown}" if path else shown, "unknown_field")

    def _value(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Check one field's value and return it normalized (defaults filled)."""
        if value is None:
            if field.required:
                entry.error(path, "required")
            if field.nullable_list:
                return None
            return [] if field.is_list else field.default
        if field.required and isinstance(value, str) and not value.strip():
            entry.error(path, "empty")
            return None
        return _CHECKS[field.kind](self, entry, path, field, value)

    def _text(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A string within the field's length limit."""
        if not isinstance(value, str):
            entry.error(path, "not_string", got=_got(value))
        elif bad := BAD_CHAR_RE.search(value):
            entry.error(path, "text_nul" if bad.group() == "\x00" else "text_surrogate")
        elif len(value) > field.limit:
            entry.error(path, "too_long", length=len(value), limit=field.limit)
        return value

    def _url(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """An https:// address: nothing else is ever made a link."""
        value = self._text(entry, path, field, value)
        if (
            isinstance(value, str)
            and len(value) <= field.limit
            and not BAD_CHAR_RE.search(value)
            and not (value.startswith("https://") and len(value) > len("https://")
                     and not any(c.isspace() for c in value))
        ):
            entry.error(path, "url_not_https", got=_got(value))
        return value

    def _bool(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Exactly true or false."""
        if not isinstance(value, bool):
            entry.error(path, "not_bool", got=_got(value))
        return value

    def _int(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A JSON number without a fraction, within the field's range."""
        if isinstance(value, bool) or not isinstance(value, int):
            entry.error(path, "not_integer", got=_got(value))
        elif not field.low <= value <= field.high:
            entry.error(path, "out_of_range", low=field.low, high=field.high, got=_got(value))
        return value

    def _number(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """An integer or a finite fraction that fits in a float."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            entry.error(path, "not_number", got=_got(value))
        elif not _fits_float(value):
            entry.error(path, "number_range", got=_got(value))
        return value

    def _date(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A real calendar date written YYYY-MM-DD inside the portal's range, as a date."""
        if not isinstance(value, str) or not DATE_RE.fullmatch(value):
            entry.error(path, "date_format", got=_got(value))
            return None
        try:
            day = dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            entry.error(path, "date_no_such_day", got=_got(value))
            return None
        if not FIRST_DATE <= day <= LAST_DATE:
            entry.error(path, "date_range", date=value, first=FIRST_DATE.isoformat(),
                        last=LAST_DATE.isoformat())
            return None
        return day

    def _time(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """A time of day written HH:MM (two digits each), kept as that text."""
        if not isinstance(value, str) or not TIME_RE.fullmatch(value):
            entry.error(path, "time_format", got=_got(value))
        return value

    def _enum(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """One of the listed words, case-sensitive."""
        if not isinstance(value, str) or value not in field.choices:
            entry.error(path, "enum_invalid", got=_got(value), choices=", ".join(field.choices))
        return value

    def _ref(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """The key of an entry in the target list, in the document or the database."""
        if not isinstance(value, str):
            entry.error(path, "not_string", got=_got(value))
        elif not self._known(field.target, value):
            if field.target == "decisions" and value in self.existing.draft_decisions:
                entry.error(path, "draft_decision_ref", key=value)
            else:
                entry.error(path, "unknown", target=field.target, key=value)
        return value

    def _refs(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Distinct keys of entries in the target list."""
        if not isinstance(value, list):
            entry.error(path, "not_array", got=_got(value))
            return None if field.nullable_list else []
        seen: set[str] = set()
        for index, item in enumerate(value):
            if isinstance(item, str) and item in seen:
                entry.error(f"{path}[{index}]", "duplicate", target=field.target, key=item)
                continue
            self._ref(entry, f"{path}[{index}]", field, item)
            if isinstance(item, str):
                seen.add(item)
        return list(value)

    def _texts(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Strings, each within the field's limit; free text may repeat."""
        if not isinstance(value, list):
            entry.error(path, "not_array", got=_got(value))
            return []
        return [self._text(entry, f"{path}[{i}]", field, item) for i, item in enumerate(value)]

    def _objects(self, entry: _Entry, path: str, field: Field, value: object) -> object:
        """Small objects such as forum members, none repeating the field's unique part."""
        if not isinstance(value, list):
            entry.error(path, "not_array", got=_got(value))
            return []
        allowed = {item.name for item in field.items}
        seen: set = set()
        out: list[dict] = []
        for index, raw in enumerate(value):
            where = f"{path}[{index}]"
            if not isinstance(raw, dict):
                entry.error(where, "not_object", got=_got(raw))
                continue
            self._unknown_fields(entry, where, raw, allowed)
            item = {
                sub.name: self._value(entry, f"{where}.{sub.name}", sub, raw.get(sub.name))
                for sub in field.items
            }
            if field.unique_by:
                self._unique(entry, where, field, item, seen)
            out.append(item)
        return out

    def _unique(self, entry: _Entry, where: str, field: Field, item: dict, seen: set) -> None:
        """Report an item whose unique part (person; date and organisation) an earlier has."""
        mark = tuple(item[name] for name in field.unique_by)
        if not all(isinstance(part, str | dt.date) or part is None for part in mark):
            return  # already reported as the wrong type
        if mark[0] is None:
            return  # a required part, already reported as missing
        if mark in seen:
            if field.name == "members":
                entry.error(f"{where}.person", "duplicate", target="people", key=mark[0])
            elif mark[1] is None:
                entry.error(f"{where}.date", "duplicate_date", date=mark[0].isoformat())
            else:
                entry.error(f"{where}.organisation", "duplicate_date_organisation",
                            date=mark[0].isoformat(), key=mark[1])
        seen.add(mark)

    # --- Rules between fields and entries -------------------------------------------------

    def _organisation_rules(self, entry: _Entry, index: int, out: dict) -> None:
        """An organisation may not be its own ancestor."""
        if index in self.cycles["organisations"]:
            entry.error("parent", "own_ancestor", target="organisations",
                        **self.cycles["organisations"][index])

    def _document_rules(self, entry: _Entry, index: int, out: dict) -> None:
        """A document may not be its own ancestor."""
        if index in self.cycles["documents"]:
            entry.error("parent", "own_ancestor", target="documents",
                        **self.cycles["documents"][index])

    def _commission_rules(self, entry: _Entry, index: int, out: dict) -> None:
        """A commission ends after it starts; its owner is not also a co-owner."""
        start, end = out["start"], out["end"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            entry.error("end", "end_before_start", end=end.isoformat(), start=start.isoformat())
        owner = out["owner"]
        if isinstance(owner, str) and isinstance(out["co_owners"], list) \
                and owner in out["co_owners"]:
            entry.error("co_owners", "owner_is_co_owner", key=owner)

    def _meeting_rules(self, entry: _Entry, index: int, out: dict) -> None:
        """Attendance and minutes belong to held meetings; nobody both came and sent apologies."""
        status = out["status"]
        if status in ("planned", "cancelled"):
            # `null` is absent; anything else given, `[]` included, is an error.
            for name in HELD_ONLY:
                if out[name] is not None:
                    entry.error(name, "held_only", status=status)
        elif status == "held":
            # On a held meeting an absent list of people is an empty one (except `present`).
            for name in ("apologies", "minutes_approved_by"):
                if out[name] is None:
                    out[name] = []
        present, apologies = out["present"], out["apologies"]
        if isinstance(present, list) and isinstance(apologies, list):
            both = set(filter(lambda k: isinstance(k, str), present))
            for person in apologies:
                if isinstance(person, str) and person in both:
                    entry.error("apologies", "present_and_apologies", key=person)
        approved, held = out["minutes_approved_on"], out["date"]
        if isinstance(approved, dt.date) and isinstance(held, dt.date) and approved < held:
            entry.error("minutes_approved_on", "minutes_before_meeting",
                        date=approved.isoformat(), meeting_date=held.isoformat())

    def _decision_rules(self, entry: _Entry, index: int, out: dict) -> None:
        """A decision's meeting is a held meeting of the same forum on the same date."""
        key = out["meeting"]
        if not isinstance(key, str):
            return
        meeting = self._meeting(key)
        if meeting is None:
            return  # unknown, already reported
        forum, day = out["forum"], out["date"]
        if isinstance(forum, str) and isinstance(meeting.forum, str) and meeting.forum != forum:
            entry.error("meeting", "meeting_other_forum", meeting=key,
                        other_forum=meeting.forum, forum=forum)
        elif meeting.status in ("planned", "cancelled"):
            entry.error("meeting", "meeting_not_held", meeting=key, status=meeting.status)
        elif isinstance(day, dt.date) and isinstance(meeting.date, dt.date) \
                and meeting.date != day:
            entry.error("meeting", "meeting_other_date", meeting=key,
                        meeting_date=meeting.date.isoformat(), date=day.isoformat())

    def _meeting(self, key: str) -> StoredMeeting | None:
        """A meeting as the document gives it, or as stored when the document has none."""
        index = self.first["meetings"].get(key)
        if index is not None:
            given = self.doc["meetings"][index] if index < len(self.doc["meetings"]) else None
            if given is None:
                return None
            return StoredMeeting(given["forum"], given["status"], given["date"])
        return self.existing.meetings.get(key)


_CHECKS = {
    Kind.TEXT: _Checker._text,
    Kind.BOOL: _Checker._bool,
    Kind.INT: _Checker._int,
    Kind.NUMBER: _Checker._number,
    Kind.DATE: _Checker._date,
    Kind.TIME: _Checker._time,
    Kind.URL: _Checker._url,
    Kind.ENUM: _Checker._enum,
    Kind.REF: _Checker._ref,
    Kind.REFS: _Checker._refs,
    Kind.TEXTS: _Checker._texts,
    Kind.OBJECTS: _Checker._objects,
}
_RULES = {
    "organisations": _Checker._organisation_rules,
    "documents": _Checker._document_rules,
    "commissions": _Checker._commission_rules,
    "meetings": _Checker._meeting_rules,
    "decisions": _Checker._decision_rules,
}


def _fits_float(value: int | float) -> bool:
    """Whether a number is finite and representable as a float (the database's type)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False
