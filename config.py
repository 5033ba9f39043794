"""Configuration classes; every secret and location comes from the environment."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _instance_dir() -> Path:
    """Where the portal keeps its files: `instance/` in a checkout, else Flask's own default."""
    if os.environ.get("PORTAL_INSTANCE"):
        return Path(os.environ["PORTAL_INSTANCE"])
    if (BASE_DIR / "portal" / "__init__.py").is_file():
        return BASE_DIR / "instance"
    return Path(sys.prefix) / "var" / "portal-instance"  # an installed wheel


INSTANCE_DIR = _instance_dir()
DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused in production


def normalise_database_url(url: str) -> str:
    """Return the URL with PostgreSQL spelled so that SQLAlchemy uses psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings for running the portal locally (development defaults)."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL")
        or "sqlite:///" + str(INSTANCE_DIR / "samverkan.sqlite")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "samverkan_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8")))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins only: per account (then a stated wait) and, generously, per client address.
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "100 per 15 minutes")
    # Requests for a password reset link, per address asked for (mail is not a weapon).
    PASSWORD_RESETS_PER_ACCOUNT = os.environ.get("PASSWORD_RESETS_PER_ACCOUNT", "3 per hour")
    # Failed sign-ins and refused requests are counted per minute and kept this many days
    # (`flask security-events prune` deletes older ones; docs/security.md).
    SECURITY_EVENT_RETENTION_DAYS = int(os.environ.get("SECURITY_EVENT_RETENTION_DAYS", "90"))
    # Behind a reverse proxy: how many proxies set X-Forwarded-* (Werkzeug's ProxyFix).
    PROXY_TRUSTED_HOPS = int(os.environ.get("PROXY_TRUSTED_HOPS", "0") or 0)
    # Host headers the portal answers (comma separated; Flask's own setting); None: any.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")
                     if h.strip()] or None
    # The portal's external address: links in mail, the calendar link, the OIDC redirect URI.
    PORTAL_URL = os.environ.get("PORTAL_URL", "").rstrip("/") or None
    # OpenID Connect sign-in through the region's identity provider.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_LABEL = os.environ.get("OIDC_LABEL") or None  # None: "Sign in with the region's account"
    OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
    OIDC_AUTO_ROLE = os.environ.get("OIDC_AUTO_ROLE") or None
    PASSWORD_LOGIN = os.environ.get("PASSWORD_LOGIN", "on").strip().lower() != "off"
    # Whom an unknown person asks for an account (named on the refusal page).
    ACCOUNT_CONTACT = os.environ.get("ACCOUNT_CONTACT") or None
    # Mail through SMTP; without MAIL_SERVER (development) mails are written to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25") or 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "off").strip().lower() in ("on", "1", "true")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Samverkansportalen <noreply@samverkan.example>")
    INVITE_VALID_HOURS = 72
    RESET_VALID_HOURS = 2
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(32 * 1024 * 1024)))
    SPREADSHEET_PARSE_SECONDS = float(os.environ.get("SPREADSHEET_PARSE_SECONDS", "10"))
    # HMAC key of backup digests (flask backup / restore); without one, plain SHA-256.
    BACKUP_KEY = os.environ.get("BACKUP_KEY") or None
    PRIVACY_CONTACT_EMAIL = os.environ.get(
        "PRIVACY_CONTACT_EMAIL", "dataskyddsombud@regionvasterbotten.example")
    ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
        "ACCESSIBILITY_CONTACT_EMAIL", "samverkansportalen@regionvasterbotten.example")
    HSTS = False
    ENV_NAME = "development"
    TESTING = False
    DEBUG = False


class TestConfig(Config):
    """Settings for the test suite: SQLite in memory unless TEST_DATABASE_URL is given."""

    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    )
    WTF_CSRF_ENABLED = True
    PORTAL_URL = None
    OIDC_ISSUER = None
    MAIL_SERVER = None
    PROXY_TRUSTED_HOPS = 0
    TRUSTED_HOSTS = None
    # Cheap hashing keeps the suite fast; production keeps the library's defaults.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    """Settings for production: secure cookies, HSTS, and a real secret required."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}
