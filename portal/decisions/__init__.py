"""Decisions logged by forums."""
