"""Tests of the indicators area."""
