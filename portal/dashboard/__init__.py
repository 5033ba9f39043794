"""The start page: my overview."""
