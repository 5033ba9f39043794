"""`flask security-events prune`: keep security events only for the retention period."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from limits import parse

from portal.audit.events import prune


@click.group("security-events")
def security_events_command() -> None:
    """Failed sign-ins and refused requests, counted per minute."""


@security_events_command.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: SECURITY_EVENT_RETENTION_DAYS).")
@with_appcontext
def prune_command(days: int | None) -> None:
    """Delete security events older than the retention period, and ended sign-in counters."""
    days = days or current_app.config["SECURITY_EVENT_RETENTION_DAYS"]
    longest = max(parse(current_app.config[name]).get_expiry() for name in (
        "LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURES_PER_ADDRESS", "PASSWORD_RESETS_PER_ACCOUNT"))
    events, counters = prune(days, counter_age=timedelta(seconds=max(longest, 86400)))
    click.echo(f"deleted {events} security events older than {days} days "
               f"and {counters} ended sign-in counters")
