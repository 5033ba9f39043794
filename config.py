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
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;30 per hour")
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(32 * 1024 * 1024)))
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
    LOGIN_RATE_LIMIT = "1000 per minute"
    # Cheap hashing keeps the suite fast; production keeps the library's defaults.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    """Settings for production: secure cookies, HSTS, and a real secret required."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}
