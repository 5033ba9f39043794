"""The register's tests use the decision log's fixtures: LSG, its people, roles, English."""

from tests.decisions.conftest import (  # noqa: F401 - fixtures shared by import
    coordinator,
    english,
    lsg,
    person,
    role_account,
)
