"""What an import would do, worked out before anything is written (pure, no Flask, no database).

`diff` compares a normalized document with the stored map (both as `export_document` gives
them) the way the importer will apply it: by key, an entry replacing the stored one as a whole.
`merge` is the map after the import, for the analysis; `findings_change` counts findings per
kind before and after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.exchange.schema import LISTS
from portal.exchange.validator import canonical

NAME_FIELDS = ("name", "title", "text")
SHOWN_NAME = 80  # characters of an entry's name or text a summary shows

# The fields whose values are words of a fixed list, and the group of `portal.labels.LABELS`
# that words them for a reader: by list and field, and a field of a list's items after that.
# Keys and free text are never worded. `BOOLEAN` words true and false.
WORDED: dict[tuple[str, ...], str] = {
    ("organisations", "kind"): "organisation_kind",
    ("forums", "kind"): "forum_kind",
    ("forums", "level"): "forum_level",
    ("forums", "members", "role"): "member_role",
    ("documents", "kind"): "document_kind",
    ("commissions", "status"): "commission_status",
    ("actions", "status"): "action_status",
    ("meetings", "status"): "meeting_status",
    ("status_reports", "light"): "status_light",
    ("risks", "status"): "risk_status",
}
BOOLEAN = "yes_no"
# How a reader's words are found: (group, stored value) -> text, e.g. `portal.labels.label`.
Words = Callable[[str, Any], str]


@dataclass(frozen=True)
class FieldChange:
    """One field of a changed entry: its value before and after the import.

    For a list field, `added` and `removed` are the items that come and go, as stored (a key,
    or an object such as a forum's member); `describe` words them for a reader.
    """

    field: str
    before: Any
    after: Any
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()

    @property
    def is_list(self) -> bool:
        """True when the field holds a list (shown as what is added and removed)."""
        return isinstance(self.before, list) or isinstance(self.after, list)


@dataclass(frozen=True)
class EntryChange:
    """A stored entry that the import changes, field by field."""

    key: str
    name: str
    fields: tuple[FieldChange, ...]


@dataclass
class ListChanges:
    """What the import does to one list: new entries, changed ones, and those left alone."""

    name: str
    created: list[tuple[str, str]] = field(default_factory=list)  # (key, name)
    changed: list[EntryChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # keys

    @property
    def touched(self) -> bool:
        """True when the file has any entry of this list."""
        return bool(self.created or self.changed or self.unchanged)


@dataclass(frozen=True)
class KindChange:
    """The number of findings of one kind before and after the import."""

    kind: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass
class Summary:
    """Everything a preview shows: per list, and the findings per kind."""

    lists: list[ListChanges]
    findings: list[KindChange] = field(default_factory=list)

    def total(self, what: str) -> int:
        """How many entries are `created`, `changed` or `unchanged` over all lists."""
        return sum(len(getattr(changes, what)) for changes in self.lists)

    @property
    def writes(self) -> bool:
        """True when the import would create or change anything."""
        return bool(self.total("created") or self.total("changed"))

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain data, for the audit trail."""
        return {
            "created": {c.name: len(c.created) for c in self.lists if c.touched},
            "updated": {c.name: len(c.changed) for c in self.lists if c.touched},
            "unchanged": {c.name: len(c.unchanged) for c in self.lists if c.touched},
            "findings": {k.kind: [k.before, k.after] for k in self.findings},
        }


def entry_name(entry: Mapping[str, Any]) -> str:
    """What an entry is called: its name, title or text (shortened), else its key."""
    for name in NAME_FIELDS:
        value = entry.get(name)
        if isinstance(value, str) and value:
            return value if len(value) <= SHOWN_NAME else value[:SHOWN_NAME] + "…"
    return str(entry.get("key", ""))


def describe(value: Any, words: Words | None = None, at: tuple[str, ...] = ()) -> str:
    """A value as a short text: dates ISO, lists joined, nested objects by their values.

    `at` is where the value is (list and field, e.g. `("forums", "members")`); with `words`,
    true and false and the values of the fields in `WORDED` are shown in the reader's words
    (`Ordförande`, not `chair`). Without, they are shown as the file writes them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        if words is not None:
            return words(BOOLEAN, value)
        return "true" if value else "false"
    if isinstance(value, str) and words is not None and at in WORDED:
        return words(WORDED[at], value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(describe(item, words, at) for item in value)
    if isinstance(value, dict):
        parts = (describe(item, words, (*at, name)) for name, item in value.items()
                 if item not in (None, [], ""))
        return " · ".join(part for part in parts if part)
    return str(value)


def _field_changes(list_name: str, before: Mapping, after: Mapping) -> tuple[FieldChange, ...]:
    old, new = canonical(list_name, before), canonical(list_name, after)
    changes = []
    for name in _field_order(old, new):
        was, now = old.get(name), new.get(name)
        if was == now or (was in (None, []) and now in (None, [])):
            continue
        if isinstance(was, list) or isinstance(now, list):
            items_was, items_now = was or [], now or []
            changes.append(FieldChange(
                name, was, now,
                added=tuple(item for item in items_now if item not in items_was),
                removed=tuple(item for item in items_was if item not in items_now)))
        else:
            changes.append(FieldChange(name, was, now))
    return tuple(changes)


def _field_order(*entries: Mapping) -> list[str]:
    names: list[str] = []
    for entry in entries:
        names.extend(name for name in entry if name != "key" and name not in names)
    return names


def diff(doc: Mapping[str, Any], stored: Mapping[str, Any]) -> list[ListChanges]:
    """Per list, in the format's order: what the import of `doc` creates, changes, leaves."""
    result = []
    for name in LISTS:
        stored_by_key = {e["key"]: e for e in stored.get(name) or []}
        changes = ListChanges(name)
        for entry in doc.get(name) or []:
            before = stored_by_key.get(entry["key"])
            if before is None:
                changes.created.append((entry["key"], entry_name(entry)))
            elif canonical(name, before) != canonical(name, entry):
                fields = _field_changes(name, before, entry)
                changes.changed.append(EntryChange(entry["key"], entry_name(entry), fields))
            else:
                changes.unchanged.append(entry["key"])
        result.append(changes)
    return result


def merge(stored: Mapping[str, Any], doc: Mapping[str, Any],
          closed_forums: Iterable[str] = ()) -> dict[str, Any]:
    """The map after importing `doc` into `stored`: upsert by key, nothing removed.

    `closed_forums`: forums that stay closed after the import, so that for the analysis they
    keep no members and no areas (as `export_document(..., for_analysis=True)` gives them).
    """
    closed = set(closed_forums)
    merged: dict[str, Any] = {key: value for key, value in stored.items() if key not in LISTS}
    for name in LISTS:
        entries = {e["key"]: e for e in stored.get(name) or []}
        for entry in doc.get(name) or []:
            if name == "forums" and entry["key"] in closed:
                entry = {**entry, "members": [], "areas": []}
            entries[entry["key"]] = entry
        merged[name] = list(entries.values())
    return merged


def count_kinds(findings: Iterable[Mapping[str, Any]]) -> Counter:
    """The number of findings per kind."""
    return Counter(finding["kind"] for finding in findings)


def findings_change(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]],
                    kinds: Iterable[str]) -> list[KindChange]:
    """Per kind (in the given order), the number of findings before and after."""
    old, new = count_kinds(before), count_kinds(after)
    return [KindChange(kind, old.get(kind, 0), new.get(kind, 0)) for kind in kinds]
