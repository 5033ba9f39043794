"""`flask analyze`: the findings of the stored map on the command line."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import click

from portal.analysis.core import KINDS


def _date(_ctx, _param, value: str | None) -> date | None:
    """Parse --as-of, with a clear message for a bad date."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'invalid date "{value}", expected YYYY-MM-DD') from None


@click.command("analyze")
@click.option("--json", "as_json", is_flag=True, help="Print the findings document (JSON).")
@click.option("--as-of", callback=_date, help="The as-of date, YYYY-MM-DD (default: today).")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--parallel-min-overlap", type=float, default=None,
              help="Smallest member overlap (Jaccard) of a parallel pair.")
@click.option("--overload-min-forums", type=int, default=None,
              help="Number of forums from which a person is overloaded.")
def analyze_command(as_json: bool, as_of: date | None, lang: str,
                    parallel_min_overlap: float | None, overload_min_forums: int | None) -> None:
    """Analyse the stored map: parallel structures and responsibility gaps."""
    from portal.findings.services import current_settings, findings

    settings = current_settings()
    if parallel_min_overlap is not None:
        settings["parallel_min_overlap"] = parallel_min_overlap
    if overload_min_forums is not None:
        settings["overload_min_forums"] = overload_min_forums
    try:
        result = findings(as_of, lang, settings)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_summary(result)


def _print_summary(result: dict) -> None:
    """A readable table of counts per kind, then each finding's message."""
    counts = Counter(f["kind"] for f in result["findings"])
    click.echo(f"Findings as of {result['as_of']} "
               f"(parallel_min_overlap={result['settings']['parallel_min_overlap']}, "
               f"overload_min_forums={result['settings']['overload_min_forums']})")
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
