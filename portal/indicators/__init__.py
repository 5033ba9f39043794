"""Indicators and their values over time."""
