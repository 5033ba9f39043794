"""Backup and restore of the whole database (`flask backup FILE`, `flask restore FILE`)."""
