"""Search tests use the suite's shared demo fixture (tests/conftest.py)."""
