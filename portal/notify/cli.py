"""`flask notify`: send what is due now (safe to run every few minutes)."""

from __future__ import annotations

from datetime import datetime

import click

from portal.dates import STOCKHOLM


def _moment(_ctx, _param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a time like 2025-10-01T08:00') from None
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


@click.command("notify")
@click.option("--now", callback=_moment, default=None,
              help="Run as if at this time (Europe/Stockholm unless it names a zone).")
def notify_command(now: datetime | None) -> None:
    """Send the reminders and notices due now and, on Monday morning, the weekly digests."""
    from portal.notify.services import run

    report = run(now)
    click.echo(f"Sent {report.instant} notices and {report.digests} digests; "
               f"{report.queued} notices wait for the weekly digest.")
    for error in report.errors:
        click.echo(error, err=True)
    if report.failed:
        raise click.ClickException(f"{report.failed} mails could not be sent; "
                                   "they are tried again at the next run")
