"""Samverkansportalen: the collaboration structure of nära vård, its commissions and gaps."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, DEV_SECRET, INSTANCE_DIR, Config
from portal.assets import PACKAGE, ROOT, asset_dir  # noqa: F401 - ROOT for the tests and benches


def create_app(config: type[Config] | Config | dict | None = None) -> Flask:
    """Build and configure the portal application."""
    from portal.runtime import collector_off_for_this_command, gc_paused, skip_final_collection

    skip_final_collection()
    pages = not _command_without_pages()
    if not pages:
        collector_off_for_this_command()
    with gc_paused():  # importing the models and views allocates much and frees little
        return _build(config, pages)


def _build(config: type[Config] | Config | dict | None, pages: bool) -> Flask:
    """Create the application object, its extensions, views (with `pages`) and commands."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(asset_dir("templates")),
        static_folder=str(asset_dir("static")),
    )
    _configure(app, config)
    _init_extensions(app, pages)
    from portal import cli

    if pages:
        _register_blueprints(app)
        from portal import errors, i18n, security

        security.init_app(app)
        i18n.init_app(app)
        errors.init_app(app)
    cli.init_app(app)
    return app


def _configure(app: Flask, config: type[Config] | Config | dict | None) -> None:
    """Load the configuration and refuse an unsafe production setup."""
    if config is None:
        config = CONFIGS[os.environ.get("PORTAL_ENV", "development")]
    if isinstance(config, dict):
        app.config.from_object(Config)
        app.config.update(config)
    else:
        app.config.from_object(config)
    if app.config.get("ENV_NAME") == "production":
        secret = app.config.get("SECRET_KEY") or ""
        if secret == DEV_SECRET or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        if not app.config.get("PORTAL_URL"):
            raise RuntimeError("PORTAL_URL (the portal's external address, "
                               "e.g. https://samverkan.example.se) is required in production")
        if not app.config.get("PASSWORD_LOGIN", True) and not app.config.get("OIDC_ISSUER"):
            raise RuntimeError("PASSWORD_LOGIN=off needs OIDC_ISSUER: nobody could sign in")
        if not app.config.get("MAIL_SERVER"):
            app.logger.warning("MAIL_SERVER is not set: invitations, reset links and "
                               "notifications are written to the log, not sent")
        app.debug = False
        _check_rate_limit_storage(app)
    trust_proxy(app)
    if app.config.get("ARGON2_PARAMETERS"):
        from portal.auth.passwords import use_parameters

        use_parameters(**app.config["ARGON2_PARAMETERS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def trust_proxy(app: Flask) -> None:
    """Behind PROXY_TRUSTED_HOPS reverse proxies the client address is the forwarded one."""
    hops = int(app.config.get("PROXY_TRUSTED_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _check_rate_limit_storage(app: Flask) -> None:
    """Sign-in throttling counted in one process's memory fails with several worker processes.

    Refused when WEB_CONCURRENCY (gunicorn's worker count) says there are several; otherwise
    a warning, since workers given on the command line cannot be seen from here.
    """
    if not app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        return
    workers = os.environ.get("WEB_CONCURRENCY", "1")
    if workers.isdigit() and int(workers) > 1:
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI must name a shared store (redis://...) with several workers"
        )
    app.logger.warning("RATELIMIT_STORAGE_URI is memory://: request rate limits are per "
                       "process (failed sign-ins are counted in the database); use "
                       "redis://127.0.0.1:6379 when running several worker processes")


def _init_extensions(app: Flask, pages: bool = True) -> None:
    """Bind the extensions to this application (without `pages`, none only sign-in needs)."""
    from portal import models  # noqa: F401 - registers the tables
    from portal.extensions import babel, csrf, db, derived, htmx, limiter, login_manager
    from portal.migrate import LazyMigrateCommand

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has one write lock; a writer waits for it up to 30 s instead of the driver's
        # 5 s, so that a burst of small writes (failed sign-ins, each counted) queues rather
        # than fails. Measured: 500 counted at once by 10 threads waited up to 6 s.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    derived.init_app(app)
    app.cli.add_command(LazyMigrateCommand())
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    if pages:
        from portal.auth import oidc, throttle

        throttle.init_app(app)
        oidc.init_app(app)
    from portal.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(PACKAGE / "translations"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)
    from portal.audit.guards import install_on_create

    install_on_create(db.metadata)  # a schema made by create_all has the append-only triggers


def _unicode_lower(text):
    """SQLite's own lower() folds only A-Z; names here have Å, Ä, Ö and É."""
    return text.lower() if isinstance(text, str) else text


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless each connection asks for them.

    Each connection also gets a lower() that folds every letter as Python does (and as
    PostgreSQL's does), so that searching for "åsa" finds "Åsa" on both databases.
    """
    from sqlalchemy import event

    from portal.audit.guards import enable_sqlite_guards
    from portal.extensions import db

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_connection, record) -> None:  # pragma: no cover - driver callback
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
            enable_sqlite_guards(dbapi_connection, record)


# `flask` commands that only read and write the database: the app they run in serves no page,
# so it is built without the views, sign-in, the template helpers and the error pages (their
# modules, forms and queries were a third of the command's start-up).
COMMANDS_WITHOUT_PAGES = frozenset({"analyze"})


def _command_without_pages() -> bool:
    """True when the `flask` command line builds this app to run a command that serves no page.

    The Flask command line creates the app while it looks up the command it was given, after
    Click has taken the name off its own list, so the name is read from the process's
    arguments: the first that is neither an option of `flask` itself nor an option's value.
    Anything else (a server, the tests, another command) gets every view.
    """
    import sys

    import click
    from flask.cli import FlaskGroup

    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.parent is not None or not isinstance(ctx.command, FlaskGroup):
        return False
    args = iter(sys.argv[1:])
    for arg in args:
        if arg in ("-A", "--app", "-e", "--env-file"):
            next(args, None)  # the option's value
        elif not arg.startswith("-"):
            return arg in COMMANDS_WITHOUT_PAGES
    return False


def _register_blueprints(app: Flask) -> None:
    """Register every area of the portal."""
    from portal.accounts.routes import bp as accounts_bp
    from portal.api.routes import bp as api_bp
    from portal.auth.oidc import bp as oidc_bp
    from portal.auth.routes import bp as auth_bp
    from portal.calendar.routes import bp as calendar_bp
    from portal.commissions.routes import bp as commissions_bp
    from portal.dashboard.routes import bp as dashboard_bp
    from portal.decisions.routes import bp as decisions_bp
    from portal.directory.routes import bp as directory_bp
    from portal.documents.routes import bp as documents_bp
    from portal.exchange.routes import bp as exchange_bp
    from portal.findings.routes import bp as findings_bp
    from portal.indicators.routes import bp as indicators_bp
    from portal.map.routes import bp as map_bp
    from portal.meetings.routes import bp as meetings_bp
    from portal.privacy.routes import bp as privacy_bp
    from portal.search.routes import bp as search_bp

    for blueprint in (
        auth_bp,
        oidc_bp,
        accounts_bp,
        dashboard_bp,
        directory_bp,
        commissions_bp,
        decisions_bp,
        documents_bp,
        indicators_bp,
        exchange_bp,
        findings_bp,
        map_bp,
        search_bp,
        privacy_bp,
        api_bp,
        calendar_bp,
        meetings_bp,
    ):
        app.register_blueprint(blueprint)
