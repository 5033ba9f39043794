"""`flask analyze`: the findings of the stored map on the command line."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date
from json.encoder import encode_basestring

import click

from portal.analysis.core import KINDS
from portal.dates import FIRST_DATE, LAST_DATE, in_range

# The thresholds of analysis.md as options: (option, setting, type, help).
SETTING_OPTIONS = (
    ("--parallel-min-overlap", "parallel_min_overlap", float,
     "Smallest member overlap (Jaccard) of a parallel pair, in (0, 1]."),
    ("--overload-min-forums", "overload_min_forums", int,
     "Number of forums from which a person is overloaded (1-100)."),
    ("--participation-min-meetings", "participation_min_meetings", int,
     "Recorded meetings in the window before a principal's absence is judged (1-100)."),
    ("--participation-min-share", "participation_min_share", float,
     "Share of the meetings a principal must attend, in (0, 1]."),
    ("--inactive-after-meetings", "inactive_after_meetings", int,
     "Latest meetings a member must have missed to be inactive (1-100)."),
    ("--dormant-after-days", "dormant_after_days", int,
     "Days without a held meeting before a forum is dormant (1-3650)."),
    ("--minutes-due-days", "minutes_due_days", int,
     "Days after a meeting by which its minutes should be approved (1-3650)."),
)


def _date(_ctx, _param, value: str | None) -> date | None:
    """Parse --as-of, with a clear message for a bad date or one outside the portal's range.

    The range is the API's too (400 there): a date near year 1 would overflow the window.
    """
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'invalid date "{value}", expected YYYY-MM-DD') from None
    if not in_range(day):
        raise click.BadParameter(
            f"date {value} is outside the range {FIRST_DATE} to {LAST_DATE}")
    return day


def _setting_options(command):
    """Add one option per threshold (applied in reverse so --help lists them in order)."""
    for flag, name, kind, text in reversed(SETTING_OPTIONS):
        command = click.option(flag, name, type=kind, default=None, help=text)(command)
    return command


@click.command("analyze")
@click.option("--json", "as_json", is_flag=True, help="Print the findings document (JSON).")
@click.option("--as-of", callback=_date, help="The as-of date, YYYY-MM-DD (default: today).")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@_setting_options
def analyze_command(as_json: bool, as_of: date | None, lang: str, **given) -> None:
    """Analyse the stored map: parallel structures, responsibility gaps and how forums meet.

    A threshold out of its range is a usage error (exit code 2).
    """
    from portal.analysis.core import validate_settings
    from portal.findings.services import current_settings, findings

    settings = current_settings()
    settings.update({name: value for name, value in given.items() if value is not None})
    try:
        settings = validate_settings(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    result = findings(as_of, lang, settings)
    if as_json:
        # color=True: the text holds no escape codes, so click need not search 2.5 MB for them
        click.echo(indented_json(result), color=True)
        return
    _print_summary(result)


_LITERALS = {None: "null", True: "true", False: "false"}


def indented_json(value) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, faster.

    With ``indent`` the standard library encodes in Python, one generator per level; this
    writes the same text into one list. Anything but dicts with text keys, lists, tuples,
    text, integers, floats, booleans and None is left to ``json.dumps``.
    """
    parts = []
    try:
        _write(value, "\n", parts.append)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


class _Unusual(Exception):
    """A value ``indented_json`` leaves to the standard library."""


def _write(value, newline, out):
    kind = type(value)
    if kind is str:
        out(encode_basestring(value))
    elif kind is dict:
        if not value:
            out("{}")
            return
        inner = newline + "  "
        before = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out(before)
            out(encode_basestring(key))
            out(": ")
            _write(item, inner, out)
            before = "," + inner
        out(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out("[]")
            return
        inner = newline + "  "
        before = "[" + inner
        for item in value:
            out(before)
            _write(item, inner, out)
            before = "," + inner
        out(newline + "]")
    elif value is None or kind is bool:
        out(_LITERALS[value])
    elif kind is int:
        out(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        out(float.__repr__(value))
    else:
        raise _Unusual


def _print_summary(result: dict) -> None:
    """A readable table of counts per kind, then each finding's message."""
    counts = Counter(f["kind"] for f in result["findings"])
    shown = ", ".join(f"{name}={value}" for name, value in result["settings"].items())
    click.echo(f"Findings as of {result['as_of']} ({shown})")
    width = max(len(kind) for kind in KINDS)
    click.echo(f"{'kind':<{width}}  count")
    for kind in KINDS:
        click.echo(f"{kind:<{width}}  {counts.get(kind, 0):>5}")
    click.echo(f"{'total':<{width}}  {len(result['findings']):>5}")
    for kind in KINDS:
        messages = [f["message"] for f in result["findings"] if f["kind"] == kind]
        if messages:
            click.echo(f"\n{kind}:")
            for message in messages:
                click.echo(f"  - {message}")
