"""`flask backup FILE` and `flask restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from portal.backup import services
from portal.backup.format import BackupError, key_bytes
from portal.extensions import db


def _key() -> bytes | None:
    """BACKUP_KEY from the configuration: the digests are HMACs with it."""
    return key_bytes(current_app.config.get("BACKUP_KEY"))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write a consistent copy of every table (audit trail included) to FILE (.gz compresses),
    with a digest per table and one over the whole file (HMAC-SHA256 when BACKUP_KEY is set)."""
    try:
        counts = services.backup_file(db.engine, db.metadata, Path(file), _key())
    except OSError as exc:
        raise click.ClickException(f"cannot write {file}: {exc.strerror or exc}") from exc
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def restore_command(file: str) -> None:
    """Restore a backup FILE into an empty database (after `flask db upgrade`), all or nothing;
    its digests are checked first, and a file that was changed is refused."""
    try:
        restored = services.restore_file(db.engine, db.metadata, Path(file), _key())
    except BackupError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from exc
    if restored.warning:
        click.echo(f"Warning: {file}: {restored.warning}", err=True)
    counts = restored.counts
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {file}")
