"""Indicator tests use the decision log's roles and English messages."""

from tests.decisions.conftest import (  # noqa: F401 - shared fixtures
    english,
    person,
    role_account,
)
