"""Tests of the search area."""
