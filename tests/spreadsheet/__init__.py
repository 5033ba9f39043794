"""Tests of the spreadsheet import of people and forum memberships."""
