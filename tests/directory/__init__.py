"""Tests of keeping the register up to date."""
