"""`flask db …`: Flask-Migrate (Alembic), loaded only when a migration command runs.

Importing Alembic costs a noticeable part of every `flask` command's start-up, and only the
`db` commands need it. The app factory registers `LazyMigrateCommand` under the name `db`; it
forwards its arguments to Flask-Migrate's own command group, set up at that moment.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

MIGRATIONS_FOLDER = "migrations"


def init_migrate(app: Flask) -> None:
    """Set up Flask-Migrate on `app` (what `flask_migrate.upgrade` and friends need)."""
    from flask_migrate import Migrate

    from portal.assets import asset_dir
    from portal.extensions import db

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(asset_dir(MIGRATIONS_FOLDER)), render_as_batch=True)


@click.pass_context
@with_appcontext
def _run_migrate_group(ctx: click.Context):
    """Run `flask db ARGS…` with Flask-Migrate's real command group."""
    init_migrate(current_app._get_current_object())
    from flask_migrate.cli import db as migrate_group

    return migrate_group.main(
        list(ctx.args), prog_name=ctx.command_path, standalone_mode=False,
        obj=ctx.find_root().obj,
    )


class LazyMigrateCommand(click.Command):
    """Stands in for Flask-Migrate's `db` group until it is run."""

    def __init__(self) -> None:
        super().__init__(
            "db",
            callback=_run_migrate_group,
            help="Perform database migrations (Alembic through Flask-Migrate).",
            short_help="Perform database migrations.",
            context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                              "help_option_names": []},
            add_help_option=False,
        )
