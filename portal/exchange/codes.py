"""The codes of validation errors and their English message templates (pure, no Flask).

An error is `(list, ref, field, code, params)`. Its text is made from the code's template and
the params: in English here (`ExchangeError.message`, the CLI's `--lang en`, logs), and in the
user's language through the gettext catalogues (`portal.exchange.messages`). The templates are
also the catalogue's message ids, so a change here needs the same change in the .po files.

A template may depend on one param (a noun changes with the list it names, a status with the
meeting's status): then the entry is a dict from that param's value to the template.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

SHOWN_CHARS = 60

# Params holding user text or keys, shown quoted JSON style ("xyz").
QUOTED = frozenset({"key", "got", "expected", "meeting", "forum", "other_forum", "token"})

_NOUNS = {
    "organisations": "organisation",
    "people": "person",
    "areas": "area",
    "forums": "forum",
    "documents": "document",
    "commissions": "commission",
    "milestones": "milestone",
    "recommendations": "recommendation",
    "actions": "action",
    "meetings": "meeting",
    "decisions": "decision",
    "indicators": "indicator",
    "status_reports": "status report",
    "risks": "risk",
}

# code -> template, or (param name, {param value: template}).
TEMPLATES: dict[str, str | tuple[str, dict[str, str]]] = {
    # The JSON text
    "json_not_text": "expected JSON text, got %(got)s",
    "json_utf8": "invalid UTF-8 at line %(line)s, column %(column)s",
    "json_syntax": "invalid JSON at line %(line)s, column %(column)s: %(detail)s",
    "json_nested": "invalid JSON: nested too deeply",
    "json_duplicate_key": (
        "invalid JSON at line %(line)s, column %(column)s: duplicate key %(key)s in one object"
    ),
    "json_duplicate_key_somewhere": "invalid JSON: duplicate key %(key)s in one object",
    "json_constant": (
        "invalid JSON at line %(line)s, column %(column)s: %(token)s is not allowed in JSON"
    ),
    "json_number_range": (
        "invalid JSON at line %(line)s, column %(column)s: number %(token)s is out of range"
    ),
    "json_number_digits": (
        "invalid JSON at line %(line)s, column %(column)s: "
        "number with %(digits)s digits is out of range"
    ),
    "json_number": "invalid JSON: NaN, Infinity or a number out of range",
    # The document and its lists
    "not_json_object": "expected a JSON object, got %(got)s",
    "format_missing": "missing, expected %(expected)s",
    "format_wrong": "expected %(expected)s, got %(got)s",
    "unknown_field": "unknown field",
    "too_many_errors": "too many errors, stopped after %(limit)s",
    "too_many_entries": "too many entries (%(count)s, at most %(limit)s)",
    # Values
    "not_object": "expected an object, got %(got)s",
    "not_array": "expected an array, got %(got)s",
    "required": "missing (required)",
    "empty": "empty (required)",
    "not_string": "expected a string, got %(got)s",
    "key_too_long": "invalid key %(key)s (longer than %(limit)s characters)",
    "key_invalid": "invalid key %(key)s",
    "key_duplicate": "duplicate key %(key)s",
    "text_nul": "contains a NUL character, which is not allowed in text",
    "text_surrogate": "contains an unpaired surrogate, which is not allowed in text",
    "too_long": "too long (%(length)s characters, at most %(limit)s)",
    "not_bool": "expected true or false, got %(got)s",
    "not_integer": "expected an integer, got %(got)s",
    "out_of_range": "must be between %(low)s and %(high)s, got %(got)s",
    "not_number": "expected a number, got %(got)s",
    "number_range": "number out of range: %(got)s",
    "date_format": "invalid date %(got)s, expected YYYY-MM-DD",
    "date_no_such_day": "invalid date %(got)s, no such day",
    "date_range": "date %(date)s is outside the range %(first)s to %(last)s",
    "time_format": "invalid time %(got)s, expected HH:MM from 00:00 to 23:59",
    "url_not_https": "invalid address %(got)s, expected one that starts with https://",
    "enum_invalid": "invalid value %(got)s, expected one of: %(choices)s",
    "unknown": ("target", {t: f"unknown {n} %(key)s" for t, n in _NOUNS.items()}),
    "duplicate": ("target", {t: f"duplicate {n} %(key)s" for t, n in _NOUNS.items()}),
    "duplicate_date": "duplicate date %(date)s",
    "duplicate_date_organisation": "duplicate value for %(date)s and organisation %(key)s",
    # Rules between fields and entries
    "own_ancestor": (
        "target",
        {
            "organisations": "organisation %(key)s is its own ancestor: %(chain)s",
            "documents": "document %(key)s is its own ancestor: %(chain)s",
        },
    ),
    "end_before_start": "end %(end)s is before start %(start)s",
    "owner_is_co_owner": "forum %(key)s is the owner and cannot also be a co-owner",
    "held_only": (
        "status",
        {
            "planned": "not allowed on a planned meeting",
            "cancelled": "not allowed on a cancelled meeting",
        },
    ),
    "present_and_apologies": "person %(key)s is both present and in apologies",
    "minutes_before_meeting": (
        "minutes approved on %(date)s, before the meeting on %(meeting_date)s"
    ),
    "meeting_other_forum": "meeting %(meeting)s is of forum %(other_forum)s, not %(forum)s",
    "meeting_not_held": (
        "status",
        {
            "planned": "meeting %(meeting)s is planned, not held",
            "cancelled": "meeting %(meeting)s is cancelled, not held",
        },
    ),
    "meeting_other_date": (
        "meeting %(meeting)s was held on %(meeting_date)s, not on the decision's date %(date)s"
    ),
    "draft_decision_key": (
        "the key %(key)s belongs to a draft decision in the portal: "
        "import the decision under another key, or finish the draft in the portal"
    ),
    "draft_decision_ref": "decision %(key)s is a draft; only final decisions can be named here",
    "final_decision_changed": (
        "is a final decision and cannot be changed; correct it in the portal "
        "(a new version) or import the change under a new key"
    ),
    "record_changed": "is a record and cannot change",
    "agenda_item_has_decision": (
        "agenda item %(number)s holds the final decision %(key)s and cannot be removed"
    ),
}


def show(value: object) -> str:
    """A short, printable rendering of a user's value, JSON style."""
    if isinstance(value, str):
        quoted = json.dumps(clip(value), ensure_ascii=False)
        # Unpaired surrogates would break printing the message, so show them escaped.
        return quoted.encode("utf-8", "backslashreplace").decode("utf-8")
    if value is None or isinstance(value, bool | int | float):
        try:
            return clip(json.dumps(value))
        except ValueError:  # an integer too long to print
            return "a very large number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


def clip(text: str) -> str:
    """Shorten long user text so one error message stays readable."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def template(code: str, params: Mapping[str, object]) -> str:
    """The English template of an error code, chosen by its params where it depends on one."""
    entry = TEMPLATES[code]
    if isinstance(entry, str):
        return entry
    name, by_value = entry
    return by_value[str(params.get(name))]


def shown_params(params: Mapping[str, object]) -> dict[str, object]:
    """The params as they appear in a message: user values quoted, the rest as they are."""
    return {
        name: show(value) if name in QUOTED and not isinstance(value, Shown) else value
        for name, value in params.items()
    }


class Shown(str):
    """A param that is already a description ("an array"), not a value to quote."""

    __slots__ = ()


def render(
    code: str, params: Mapping[str, object], translate: Callable[[str], str] | None = None
) -> str:
    """An error's message: the template (translated when `translate` is given) with its params."""
    text = template(code, params)
    if translate is not None:
        text = translate(text)
    return text % shown_params(params)


def all_templates() -> list[str]:
    """Every template, for the catalogue tests."""
    out: list[str] = []
    for entry in TEMPLATES.values():
        out.extend([entry] if isinstance(entry, str) else entry[1].values())
    return out
