"""Command-line commands: import, export, demo, create-user."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask

from portal.exchange.messages import DEFAULT_LANGUAGE, LANGUAGES, error_text

# The import, export and account modules are imported by their commands: every `flask` command
# builds the app, and one that does not need them (`flask analyze`) should not wait for them.


def init_app(app: Flask) -> None:
    """Register the commands on the `flask` command line."""
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_dates_command)
    from portal.findings.cli import analyze_command

    app.cli.add_command(_LazyCommand("demo", "portal.demo.loader:demo_command"))
    app.cli.add_command(analyze_command)
    app.cli.add_command(_LazyCommand("backup", "portal.backup.cli:backup_command"))
    app.cli.add_command(_LazyCommand("restore", "portal.backup.cli:restore_command"))
    from portal.notify.cli import notify_command

    app.cli.add_command(notify_command)
    from portal.audit.cli import security_events_command

    app.cli.add_command(security_events_command)


class _LazyCommand(click.Command):
    """Stands in for a command whose module is imported only when that command is used.

    Every `flask` command builds the app and with it the list of commands; the modules behind
    `demo` (the importer and the search index) and `backup`/`restore` are loaded when one of
    them is run or its help is asked for, so that other commands do not wait for them.
    """

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name)
        self._target = target

    def real(self) -> click.Command:
        """The command itself."""
        from importlib import import_module

        module, attribute = self._target.split(":")
        return getattr(import_module(module), attribute)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.real().get_short_help_str(limit)


def _print_report(report) -> None:
    """Print what an import did, one line per list that had entries."""
    for name, created in report.created.items():
        updated, unchanged = report.updated[name], report.unchanged[name]
        if created or updated or unchanged:
            click.echo(f"  {name}: {created} new, {updated} changed, {unchanged} unchanged")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE,
              show_default=True,
              help="The language of the error messages, and of the roles, statuses, kinds and "
                   "yes/no values a dry run shows.")
@click.option("--dry-run", is_flag=True,
              help="Show what the import would create, change and leave alone, and how the "
                   "findings would change; write nothing.")
def import_command(file: str, lang: str, dry_run: bool) -> None:
    """Import a samverkan/1 JSON FILE (all or nothing; - reads standard input)."""
    from portal.exchange import services as exchange
    from portal.exchange.validator import ExchangeValidationError

    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from exc
    if dry_run:
        preview = exchange.preview_text(data)
        if preview.errors:
            _fail(file, preview.errors, lang)
        click.echo(f"Dry run of {file}: nothing was written")
        _print_summary(preview.summary, lang)
        return
    try:
        report = exchange.import_text(data, None, source=f"cli:{Path(file).name}")
    except ExchangeValidationError as exc:
        _fail(file, exc.errors, lang)
    click.echo(f"Imported {file}" + ("" if report.changed else " (no changes)"))
    _print_report(report)


def _fail(file: str, errors: list, lang: str) -> NoReturn:
    """Print every located error in the language and stop with a non-zero exit."""
    for error in errors:
        click.echo(error_text(error, lang), err=True)
    raise click.ClickException(f"{file}: {len(errors)} error(s); nothing was imported")


def _print_summary(summary, lang: str) -> None:
    """What an import would do: counts per list, each changed field, findings per kind.

    Changed values are worded in `lang` (`Ordförande`, not `chair`); keys stay as they are.
    """
    from flask_babel import force_locale

    with force_locale(lang):
        _print_summary_lines(summary)


def _print_summary_lines(summary) -> None:
    """The lines of `_print_summary`, in the language in force."""
    from portal.exchange.preview import describe
    from portal.labels import label

    click.echo(f"  {summary.total('created')} new, {summary.total('changed')} changed, "
               f"{summary.total('unchanged')} unchanged")
    for changes in summary.lists:
        if changes.touched:
            click.echo(f"  {changes.name}: {len(changes.created)} new, "
                       f"{len(changes.changed)} changed, {len(changes.unchanged)} unchanged")
    for changes in summary.lists:
        for key, name in changes.created:
            click.echo(f"+ {changes.name}[{key}]: {name}")
        for entry in changes.changed:
            for change in entry.fields:
                where = f"~ {changes.name}[{entry.key}].{change.field}"
                at = (changes.name, change.field)
                if change.is_list:
                    items = [f"+{describe(item, label, at)}" for item in change.added]
                    items += [f"-{describe(item, label, at)}" for item in change.removed]
                    click.echo(f"{where}: {'; '.join(items) or '(order)'}")
                else:
                    click.echo(f"{where}: {describe(change.before, label, at) or '-'} -> "
                               f"{describe(change.after, label, at) or '-'}")
    click.echo("Findings (now -> after the import):")
    width = max((len(k.kind) for k in summary.findings), default=0)
    for kind in summary.findings:
        mark = f"  ({kind.delta:+d})" if kind.delta else ""
        click.echo(f"  {kind.kind:<{width}}  {kind.before:>5} -> {kind.after:>5}{mark}")
    before = sum(k.before for k in summary.findings)
    after = sum(k.after for k in summary.findings)
    click.echo(f"  {'total':<{width}}  {before:>5} -> {after:>5}")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def export_command(file: str) -> None:
    """Export the whole database as samverkan/1 JSON to FILE (- for standard output)."""
    from portal.exchange import services as exchange

    text = exchange.export_text()
    if file == "-":
        click.echo(text)
    else:
        Path(file).write_text(text + "\n", encoding="utf-8")
        click.echo(f"Exported to {file}", err=True)


@click.command("check-dates")
def check_dates_command() -> None:
    """List stored dates outside the portal's range; exit 1 when there are any.

    Nothing is changed: each line names the object, the field, the stored value and the page
    where an admin corrects it.
    """
    from portal.dates import FIRST_DATE, LAST_DATE
    from portal.stored_dates import out_of_range

    found = out_of_range()
    for d in found:
        click.echo(f"{d.kind} {d.name}: {d.field} = {d.value}  {d.url}")
    if found:
        click.echo(f"{len(found)} stored date(s) outside {FIRST_DATE} to {LAST_DATE}.", err=True)
        sys.exit(1)
    click.echo(f"Every stored date is from {FIRST_DATE} to {LAST_DATE}.")


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--role", type=click.Choice(["admin", "leadership", "commission_lead",
                                            "forum_member", "viewer"]), default="viewer")
@click.option("--person", "person_key", default=None, help="Key of the person the account is.")
@click.password_option()
def create_user_command(email: str, role: str, person_key: str | None, password: str) -> None:
    """Create a user account for a real deployment."""
    from sqlalchemy import select

    from portal.auth.services import AccountError, create_user
    from portal.extensions import db
    from portal.models import Person

    person = None
    if person_key:
        person = db.session.scalar(select(Person).where(Person.key == person_key))
        if person is None:
            raise click.ClickException(f'unknown person "{person_key}"')
    try:
        user = create_user(None, email, password, role, person)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.email} ({user.role})")
