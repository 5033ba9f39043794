"""Writing one entity from a form with the import's rules: generated keys and entry checks.

The register, the decision log and the indicator pages write single entities. They check each
one as a `samverkan/1` entry with the exchange validator, so a form accepts exactly what an
import would, and they explain its findings in the user's words, next to the form's fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.exchange.codes import show
from portal.exchange.importer import jsonable
from portal.exchange.messages import DEFAULT_LANGUAGE, LANGUAGES, error_message
from portal.exchange.schema import FORMAT, KEY_LENGTH
from portal.exchange.services import stored_keys
from portal.exchange.validator import ExchangeError, ExchangeValidationError
from portal.exchange.validator import validate_document as _validate_document
from portal.extensions import db

NOT_KEY_CHARS = re.compile(r"[^a-z0-9_.-]+")
# The lists a form's reference may name (`unknown`'s target), in the form's words.
NOUN_LABELS = {
    "organisations": _l("organisation"),
    "people": _l("person"),
    "areas": _l("focus area"),
    "forums": _l("forum"),
    "commissions": _l("commission"),
    "recommendations": _l("recommendation"),
    "actions": _l("action"),
}


class EntryError(ValueError):
    """An entry was refused; `errors` maps each field's name to what is wrong with it."""

    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


# --- Keys -------------------------------------------------------------------------------------


def slug(text: str, limit: int = KEY_LENGTH) -> str:
    """A key made from text: `Möte i LSG` becomes `mote-i-lsg` (ASCII, at most `limit` long)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = NOT_KEY_CHARS.sub("-", ascii_text.lower()).strip("-._")
    return words[:limit].rstrip("-._") or "x"


def unique_key(model, text: str) -> str:
    """A key made from text that no entity of `model` has yet (`-2`, `-3`… added if needed)."""
    return free_key(model, slug(text))


def free_key(model, base: str) -> str:
    """`base` if no entity of `model` uses it, else `base-2`, `base-3`… cut to fit a key."""
    taken = set(db.session.scalars(select(model.key).where(model.key.like(f"{base[:40]}%"))))
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: KEY_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


# --- Checking an entry ------------------------------------------------------------------------


def entry_errors(list_name: str, entry: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The problems the import would find in one entry, by field (empty when it is valid).

    The entry is checked against the keys stored in the database. A field is named as in the
    exchange format, a nested one by its last part (`members[3].person` -> `person`), after
    `prefix`; the message is in the user's words.
    """
    document = {"format": FORMAT, list_name: [jsonable(entry)]}
    existing = stored_keys()
    if list_name == "decisions":  # a form saving a draft is not an import over that draft
        existing = replace(existing, draft_decisions=existing.draft_decisions - {entry["key"]})
    try:
        _validate_document(document, existing)
    except ExchangeValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(prefix + _field(error), explain(error))
        return errors
    return {}


def _field(error: ExchangeError) -> str:
    """The form field an error is about: `members[3].person` -> `person`, `areas[1]` -> `areas`."""
    path = error.field or "key"
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


_KEY_HINT = _l("Use 1–64 characters: letters A–Z, digits, _ . or - (no spaces, no å, ä, ö).")
_REQUIRED = _l("This field is required.")
_BAD_TEXT = _l("The text contains a character that cannot be stored.")
_NOT_NUMBER = _l("Enter a number.")
_BAD_DATE = _l("Enter a real date as YYYY-MM-DD.")
# Error code -> the form's wording, made from the error's params (see exchange/codes.py).
_EXPLANATIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "required": lambda p: _REQUIRED,
    "empty": lambda p: _REQUIRED,
    "too_long": lambda p: _l("Too long: at most %(limit)s characters.", limit=p["limit"]),
    "key_invalid": lambda p: _KEY_HINT,
    "key_too_long": lambda p: _KEY_HINT,
    "key_duplicate": lambda p: _l("The key is already used."),
    "unknown": lambda p: _l("There is no %(what)s with the key %(key)s.",
                            what=NOUN_LABELS.get(p["target"], p["target"]), key=show(p["key"])),
    "duplicate": lambda p: (_l("The person is already a member of the forum.")
                            if p["target"] == "people"
                            else _l("%(key)s is chosen twice.", key=show(p["key"]))),
    "duplicate_date": lambda p: _l("There is already a value for %(date)s.", date=p["date"]),
    "duplicate_date_organisation": lambda p: _l(
        "There is already a value for %(date)s and this organisation.", date=p["date"]),
    "date_format": lambda p: _BAD_DATE,
    "date_no_such_day": lambda p: _BAD_DATE,
    "date_range": lambda p: _l("Give a date from %(first)s to %(last)s.",
                               first=p["first"], last=p["last"]),
    "enum_invalid": lambda p: _l("Choose one of the listed options."),
    "not_number": lambda p: _NOT_NUMBER,
    "number_range": lambda p: _NOT_NUMBER,
    "text_nul": lambda p: _BAD_TEXT,
    "text_surrogate": lambda p: _BAD_TEXT,
}


def explain(error: ExchangeError) -> str:
    """The validator's finding in the user's words, chosen by its code.

    Codes without a form's own wording are the import's message in the user's language.
    """
    if error.code == "own_ancestor" and error.params.get("target") == "organisations":
        return str(_l("An organisation cannot be part of itself: %(chain)s.",
                      chain=error.params["chain"]))
    wording = _EXPLANATIONS.get(error.code)
    if wording is not None:
        return str(wording(error.params))
    return error_message(error, _language())


def _language() -> str:
    """The user's language for a message (Swedish outside a request or when unknown)."""
    locale = get_locale() if has_request_context() else None
    lang = str(locale) if locale else DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
