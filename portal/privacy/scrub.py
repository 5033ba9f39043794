"""Finding and replacing one person's personal data inside stored JSON (pure functions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, or_

PERSON_FIELDS_REMOVED = ("title", "email")


@dataclass(frozen=True)
class Identity:
    """What identifies the person before, and what stands in its place after."""

    key: str
    name: str
    email: str | None
    new_key: str
    pseudonym: str


def search_terms(*values: str | None) -> list[str]:
    """The texts to look for in stored JSON: as written, and as JSON escapes them (ASCII)."""
    terms = set()
    for value in values:
        if value:
            terms.add(value)
            terms.add(json.dumps(value)[1:-1])
    return sorted(terms)


def mentions_condition(columns, terms: list[str]):
    """SQL: any of the JSON columns contains any of the terms (a cheap first filter)."""
    return or_(*(cast(column, Text).contains(term, autoescape=True)
                 for column in columns for term in terms))


def mentions(value: Any, texts: tuple[str, ...]) -> bool:
    """True when a string anywhere in the JSON value contains one of the texts."""
    if isinstance(value, str):
        return any(t and t in value for t in texts)
    if isinstance(value, dict):
        return any(mentions(v, texts) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, texts) for v in value)
    return False


def _describes(value: dict, who: Identity) -> bool:
    """A JSON object that is this person's entry (a snapshot of the person)."""
    return value.get("key") == who.key and "name" in value


def scrub_record(value: Any, who: Identity, is_person_entry: bool = False) -> Any:
    """The value with the person's data replaced, for the audit trail (a record).

    The person's own entries lose name, title and e-mail; every text that is exactly the old
    key or the old name becomes the new key or the pseudonym. Longer free texts (a decision's
    wording) are records of their own and are left as they were.
    """
    if isinstance(value, dict):
        own = is_person_entry or _describes(value, who)
        out = {k: scrub_record(v, who) for k, v in value.items()}
        if own:
            if "name" in out:
                out["name"] = who.pseudonym
            for field in PERSON_FIELDS_REMOVED:
                if field in out:
                    out[field] = None
        return out
    if isinstance(value, list):
        return [scrub_record(v, who) for v in value]
    if value == who.key:
        return who.new_key
    if value == who.name:
        return who.pseudonym
    return value


def scrub_copy(value: Any, who: Identity) -> Any:
    """The value with the person's data replaced everywhere, for working copies (snapshots):
    as `scrub_record`, and the name and e-mail also inside longer texts."""
    value = scrub_record(value, who)
    if isinstance(value, dict):
        return {k: scrub_copy(v, who) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_copy(v, who) for v in value]
    if isinstance(value, str):
        value = value.replace(who.name, who.pseudonym)
        if who.email:
            value = value.replace(who.email, "")
    return value
