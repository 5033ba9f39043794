"""Validation errors in a language: the codes' templates through the gettext catalogues.

The web and the command line share the catalogues under `portal/translations`; this module
needs no Flask, so `flask import --lang en` and a page in English word an error the same way.
The location (`forums[lsg].reports_to`) is never translated: it names the file's own fields.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.support import Translations

from portal.exchange.codes import render
from portal.exchange.validator import ExchangeError

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
CATALOGUES = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=len(LANGUAGES))
def translator(lang: str) -> Callable[[str], str]:
    """The catalogue's gettext for a language.

    :raise ValueError: for a language other than sv or en.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return Translations.load(str(CATALOGUES), [lang]).gettext


def error_message(error: ExchangeError, lang: str = DEFAULT_LANGUAGE) -> str:
    """What is wrong, in the language (without the location)."""
    return render(error.code, error.params, translator(lang))


def error_text(error: ExchangeError, lang: str = DEFAULT_LANGUAGE) -> str:
    """`location: message`, the message in the language: `forums[lsg].reports_to: …`."""
    return f"{error.location}: {error_message(error, lang)}"


def cell_error_text(error, lang: str = DEFAULT_LANGUAGE) -> str:
    """A spreadsheet error (`spreadsheet.CellError`) in the language: `sheet, row 3, column
    date: what is wrong`, the place words and the message translated (a validator's error by
    its code); an error the rows could not place is worded as `error_text` words it."""
    if isinstance(error, ExchangeError):
        return error_text(error, lang)
    return error.text(translator(lang))
