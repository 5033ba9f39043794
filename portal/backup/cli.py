"""`flask backup FILE` and `flask restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from portal.backup import services
from portal.backup.format import BackupError
from portal.extensions import db


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write a consistent copy of every table (audit trail included) to FILE (.gz compresses)."""
    try:
        counts = services.backup_file(db.engine, db.metadata, Path(file))
    except OSError as exc:
        raise click.ClickException(f"cannot write {file}: {exc.strerror or exc}") from exc
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def restore_command(file: str) -> None:
    """Restore a backup FILE into an empty database (after `flask db upgrade`), all or nothing."""
    try:
        counts = services.restore_file(db.engine, db.metadata, Path(file))
    except BackupError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from exc
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {file}")
