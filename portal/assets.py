"""Where the portal's files are: in a checkout, or inside the installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def asset_dir(name: str) -> Path:
    """`templates`, `static` or `migrations`: in the checkout's top level, or in the wheel."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else ROOT / name
