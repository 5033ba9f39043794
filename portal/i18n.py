"""Language and formatting: Swedish by default, English selectable."""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal
from flask import Flask, current_app, session
from flask_babel import format_date, format_datetime, get_locale, get_translations
from jinja2 import pass_context

from portal.forms import DATE_INPUT
from portal.labels import label


def select_locale() -> str:
    """The language the user chose, else Swedish."""
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Everyone works in Swedish time."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def short_date(value: date | datetime | None) -> str:
    """A date as `31 okt 2025` in Swedish or `31 Oct 2025` in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    text = format_date(value, "d MMM y")
    return text.replace(".", "")


def short_datetime(value: datetime | None) -> str:
    """A moment as `31 okt 2025 14:05` in Swedish time."""
    if value is None:
        return ""
    return format_datetime(value, "d MMM y HH:mm").replace(".", "")


def number(value: float | int | None, digits: int = 1) -> str:
    """A number with the language's separators (`56 470`, `4,5`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "#,##0" if isinstance(value, int) else "#,##0." + "#" * digits
    return format_decimal(value, format=pattern, locale=str(get_locale()))


# The render's catalogue in the template context. Flask-Babel's own template callables look
# the catalogue up again for every string (request, locale, domain: some ten context-local
# look-ups each); a page has 50-150 strings. Looked up once per render_template instead, and
# so in the language of that render (force_locale around a mail's render included).
CATALOGUE = "_catalogue"


def _catalogue_of(context):
    """The catalogue of this render; a macro imported without context looks it up itself."""
    return context.get(CATALOGUE) or get_translations()


@pass_context
def _gettext(context, string):
    return _catalogue_of(context).ugettext(string)


@pass_context
def _ngettext(context, singular, plural, n):
    return _catalogue_of(context).ungettext(singular, plural, n)


@pass_context
def _pgettext(context, message_context, string):
    return _catalogue_of(context).upgettext(message_context, string)


@pass_context
def _npgettext(context, message_context, singular, plural, n):
    return _catalogue_of(context).unpgettext(message_context, singular, plural, n)


def _render_catalogue() -> dict:
    return {CATALOGUE: get_translations()}


def init_app(app: Flask) -> None:
    """Register the template filters, the language globals and the template gettext."""
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext,
        npgettext=_npgettext)
    app.context_processor(_render_catalogue)
    app.add_template_filter(short_date, "date")
    app.add_template_filter(short_datetime, "datetime")
    app.add_template_filter(number, "number")
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["date_input"] = DATE_INPUT  # a raw date input's min and max
