"""Form helpers shared by the areas: a service's refusals shown next to the fields."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, Form, FormField
from wtforms.validators import ValidationError

from portal.dates import FIRST_DATE, LAST_DATE, in_range

# What a date input shows the browser: the portal's range (the server checks it again).
DATE_INPUT = {"min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()}


def all_fields(form: Form) -> Iterator[Field]:
    """Every field of a form, including those inside lists of sub-forms."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from (all_fields(entry.form) if isinstance(entry, FormField) else [entry])
        elif isinstance(field, FormField):
            yield from all_fields(field.form)
        else:
            yield field


def apply_errors(form: Form, errors: dict[str, str | list[str]]) -> list[str]:
    """Attach each error (a message or a list of them) to the field of that name; return
    those that fit no field."""
    by_name = {field.name: field for field in all_fields(form)}
    loose = []
    for name, message in errors.items():
        messages = message if isinstance(message, list) else [message]
        field = by_name.get(name)
        if field is None:
            loose.extend(f"{name}: {text}" if name else text for text in messages)
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.extend(messages)
    return loose


def empty_to_none(value: str | None) -> str | None:
    """Form text with surrounding space removed; empty text means no value."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def date_range_error(value: Any) -> str | None:
    """The message for a date outside the portal's range, saying the range; None inside it."""
    if not isinstance(value, date) or in_range(value):
        return None
    return str(_l("Give a date from %(first)s to %(last)s.",
                  first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat()))


class InDateRange:
    """A date field's value lies in the portal's range (an empty field is for other rules)."""

    field_flags = DATE_INPUT

    def __call__(self, form: Form, field: Field) -> None:
        message = date_range_error(field.data)
        if message:
            raise ValidationError(message)
