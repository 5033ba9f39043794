"""The codes of validation errors and their English message templates (pure, no Flask).

An error is `(list, ref, field, code, params)`. Its text is made from the code's template and
the params: in English here (`ExchangeError.message`, logs), and in the user's language through
the gettext catalogues (`portal.exchange.messages`; the CLI's `--lang sv|en`). The templates are
also the catalogue's message ids (marked with `N_` for extraction), so a change here needs the
same change in both .po files; a test checks that every one has a Swedish and an English entry.

A template may depend on one param (a noun changes with the list it names, a status with the
meeting's status): then the entry is a dict from that param's value to the template.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

SHOWN_CHARS = 60


def N_(text: str) -> str:  # noqa: N802 - gettext's marker, so extraction finds the templates
    """Mark a template for the catalogues without translating it here."""
    return text


# Params holding user text or keys, shown quoted JSON style ("xyz").
QUOTED = frozenset({"key", "got", "expected", "meeting", "forum", "other_forum", "token"})

# The unknown and duplicate references, by the list they name.
_UNKNOWN = {
    "organisations": N_("unknown organisation %(key)s"),
    "people": N_("unknown person %(key)s"),
    "areas": N_("unknown area %(key)s"),
    "forums": N_("unknown forum %(key)s"),
    "documents": N_("unknown document %(key)s"),
    "commissions": N_("unknown commission %(key)s"),
    "milestones": N_("unknown milestone %(key)s"),
    "recommendations": N_("unknown recommendation %(key)s"),
    "actions": N_("unknown action %(key)s"),
    "meetings": N_("unknown meeting %(key)s"),
    "decisions": N_("unknown decision %(key)s"),
    "indicators": N_("unknown indicator %(key)s"),
    "status_reports": N_("unknown status report %(key)s"),
    "risks": N_("unknown risk %(key)s"),
}
_DUPLICATE = {
    "organisations": N_("duplicate organisation %(key)s"),
    "people": N_("duplicate person %(key)s"),
    "areas": N_("duplicate area %(key)s"),
    "forums": N_("duplicate forum %(key)s"),
    "documents": N_("duplicate document %(key)s"),
    "commissions": N_("duplicate commission %(key)s"),
    "milestones": N_("duplicate milestone %(key)s"),
    "recommendations": N_("duplicate recommendation %(key)s"),
    "actions": N_("duplicate action %(key)s"),
    "meetings": N_("duplicate meeting %(key)s"),
    "decisions": N_("duplicate decision %(key)s"),
    "indicators": N_("duplicate indicator %(key)s"),
    "status_reports": N_("duplicate status report %(key)s"),
    "risks": N_("duplicate risk %(key)s"),
}

# code -> template, or (param name, {param value: template}).
TEMPLATES: dict[str, str | tuple[str, dict[str, str]]] = {
    # The JSON text
    "json_not_text": N_("expected JSON text, got %(got)s"),
    "json_utf8": N_("invalid UTF-8 at line %(line)s, column %(column)s"),
    "json_syntax": N_("invalid JSON at line %(line)s, column %(column)s: %(detail)s"),
    "json_nested": N_("invalid JSON: nested too deeply"),
    "json_duplicate_key": N_(
        "invalid JSON at line %(line)s, column %(column)s: duplicate key %(key)s in one object"
    ),
    "json_duplicate_key_somewhere": N_("invalid JSON: duplicate key %(key)s in one object"),
    "json_constant": N_(
        "invalid JSON at line %(line)s, column %(column)s: %(token)s is not allowed in JSON"
    ),
    "json_number_range": N_(
        "invalid JSON at line %(line)s, column %(column)s: number %(token)s is out of range"
    ),
    "json_number_digits": N_(
        "invalid JSON at line %(line)s, column %(column)s: "
        "number with %(digits)s digits is out of range"
    ),
    "json_number": N_("invalid JSON: NaN, Infinity or a number out of range"),
    # The document and its lists
    "not_json_object": N_("expected a JSON object, got %(got)s"),
    "format_missing": N_("missing, expected %(expected)s"),
    "format_wrong": N_("expected %(expected)s, got %(got)s"),
    "unknown_field": N_("unknown field"),
    "too_many_errors": N_("too many errors, stopped after %(limit)s"),
    "too_many_entries": N_("too many entries (%(count)s, at most %(limit)s)"),
    # Values
    "not_object": N_("expected an object, got %(got)s"),
    "not_array": N_("expected an array, got %(got)s"),
    "required": N_("missing (required)"),
    "empty": N_("empty (required)"),
    "not_string": N_("expected a string, got %(got)s"),
    "key_too_long": N_("invalid key %(key)s (longer than %(limit)s characters)"),
    "key_invalid": N_("invalid key %(key)s"),
    "key_duplicate": N_("duplicate key %(key)s"),
    "text_nul": N_("contains a NUL character, which is not allowed in text"),
    "text_surrogate": N_("contains an unpaired surrogate, which is not allowed in text"),
    "too_long": N_("too long (%(length)s characters, at most %(limit)s)"),
    "not_bool": N_("expected true or false, got %(got)s"),
    "not_integer": N_("expected an integer, got %(got)s"),
    "out_of_range": N_("must be between %(low)s and %(high)s, got %(got)s"),
    "not_number": N_("expected a number, got %(got)s"),
    "number_range": N_("number out of range: %(got)s"),
    "date_format": N_("invalid date %(got)s, expected YYYY-MM-DD"),
    "date_no_such_day": N_("invalid date %(got)s, no such day"),
    "date_range": N_("date %(date)s is outside the range %(first)s to %(last)s"),
    "time_format": N_("invalid time %(got)s, expected HH:MM from 00:00 to 23:59"),
    "url_not_https": N_("invalid address %(got)s, expected one that starts with https://"),
    "enum_invalid": N_("invalid value %(got)s, expected one of: %(choices)s"),
    "unknown": ("target", _UNKNOWN),
    "duplicate": ("target", _DUPLICATE),
    "duplicate_date": N_("duplicate date %(date)s"),
    "duplicate_date_organisation": N_("duplicate value for %(date)s and organisation %(key)s"),
    # Rules between fields and entries
    "own_ancestor": (
        "target",
        {
            "organisations": N_("organisation %(key)s is its own ancestor: %(chain)s"),
            "documents": N_("document %(key)s is its own ancestor: %(chain)s"),
        },
    ),
    "end_before_start": N_("end %(end)s is before start %(start)s"),
    "owner_is_co_owner": N_("forum %(key)s is the owner and cannot also be a co-owner"),
    "held_only": (
        "status",
        {
            "planned": N_("not allowed on a planned meeting"),
            "cancelled": N_("not allowed on a cancelled meeting"),
        },
    ),
    "present_and_apologies": N_("person %(key)s is both present and in apologies"),
    "minutes_before_meeting": N_(
        "minutes approved on %(date)s, before the meeting on %(meeting_date)s"
    ),
    "meeting_other_forum": N_("meeting %(meeting)s is of forum %(other_forum)s, not %(forum)s"),
    "meeting_not_held": (
        "status",
        {
            "planned": N_("meeting %(meeting)s is planned, not held"),
            "cancelled": N_("meeting %(meeting)s is cancelled, not held"),
        },
    ),
    "meeting_other_date": N_(
        "meeting %(meeting)s was held on %(meeting_date)s, not on the decision's date %(date)s"
    ),
    "draft_decision_key": N_(
        "the key %(key)s belongs to a draft decision in the portal: "
        "import the decision under another key, or finish the draft in the portal"
    ),
    "draft_decision_ref": N_("decision %(key)s is a draft; only final decisions can be named here"),
    "final_decision_changed": N_(
        "is a final decision and cannot be changed; correct it in the portal "
        "(a new version) or import the change under a new key"
    ),
    "record_changed": N_("is a record and cannot change"),
    "agenda_item_has_decision": N_(
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
            return N_("a very large number")
    if isinstance(value, list):
        return N_("an array")
    if isinstance(value, dict):
        return N_("an object")
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


# Descriptions of a value that a message shows in words, translated with the message.
# The JSON parser's own explanations are among them.
DESCRIPTIONS = frozenset({
    N_("a very large number"), N_("an array"), N_("an object"),
    N_("Expecting value"), N_("Expecting ',' delimiter"), N_("Expecting ':' delimiter"),
    N_("Expecting property name enclosed in double quotes"), N_("Unterminated string starting at"),
    N_("Invalid control character at"), N_("Invalid \\escape"), N_("Extra data"),
})


def shown_params(
    params: Mapping[str, object], translate: Callable[[str], str] | None = None
) -> dict[str, object]:
    """The params as they appear in a message: user values quoted, the rest as they are.

    A value described in words ("an array") is translated by `translate` when given.
    """
    shown: dict[str, object] = {}
    for name, value in params.items():
        if name in QUOTED and not isinstance(value, Shown):
            value = show(value)
        if translate is not None and isinstance(value, str) and value in DESCRIPTIONS:
            value = translate(value)
        shown[name] = value
    return shown


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
    return text % shown_params(params, translate)


def all_templates() -> list[str]:
    """Every template and described value, for the catalogue tests."""
    out: list[str] = []
    for entry in TEMPLATES.values():
        out.extend([entry] if isinstance(entry, str) else entry[1].values())
    return out + sorted(DESCRIPTIONS)
