"""The form for the analysis thresholds, and the query arguments of the findings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from portal.analysis.settings import DEFAULT_SETTINGS, INTEGER_RANGES, SHARES, validate_settings
from portal.forms import date_range_error


class LocalDecimalField(DecimalField):
    """A decimal number written with a comma (Swedish, `0,5`) or a point (`0.5`)."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])


def _in_share_range(_form, field):
    """A share is greater than 0 and at most 1 (analysis.md)."""
    if field.data is not None and not 0 < field.data <= 1:
        raise ValidationError(_l("Enter a number greater than 0 and at most 1."))


def _share(label):
    return LocalDecimalField(label, places=None, validators=[InputRequired(), _in_share_range])


def _count(label, name):
    low, high = INTEGER_RANGES[name]
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=low, max=high)])


class SettingsForm(FlaskForm):
    """The thresholds of analysis.md, with the ranges it allows."""

    parallel_min_overlap = _share(
        _l("Smallest share of shared members for a parallel structure (0–1)"))
    overload_min_forums = _count(
        _l("Number of forums from which a person counts as overloaded"), "overload_min_forums")
    participation_min_meetings = _count(
        _l("Meetings with recorded attendance in a year before a principal's absence is "
           "judged (1–100)"), "participation_min_meetings")
    participation_min_share = _share(
        _l("Smallest share of those meetings a principal should attend (0–1)"))
    inactive_after_meetings = _count(
        _l("Latest meetings a member can miss before counting as inactive (1–100)"),
        "inactive_after_meetings")
    dormant_after_days = _count(
        _l("Days without a held meeting before a forum counts as dormant (1–3650)"),
        "dormant_after_days")
    minutes_due_days = _count(
        _l("Days after a meeting by which its minutes should be approved (1–3650)"),
        "minutes_due_days")

    def thresholds(self):
        """The threshold fields, in the order of analysis.md."""
        return [self.parallel_min_overlap, self.overload_min_forums,
                self.participation_min_meetings, self.participation_min_share,
                self.inactive_after_meetings, self.dormant_after_days, self.minutes_due_days]


def parse_as_of(args: Mapping[str, str]) -> date | None:
    """The `as_of` date of a query string; None means today.

    :raise ValueError: with a translated message, for a date that is not YYYY-MM-DD.
    """
    text = args.get("as_of", "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(_('as_of: invalid date "%(value)s", expected YYYY-MM-DD',
                           value=text[:40]))
    outside = date_range_error(day)
    if outside:
        raise ValueError(f"as_of: {outside}")
    return day


def parse_thresholds(args: Mapping[str, str], stored: dict) -> dict | None:
    """Thresholds given in a query string over the stored ones, validated; None if none.

    :raise ValueError: for a threshold that is not a number or is out of its range.
    """
    given = {}
    for name in DEFAULT_SETTINGS:
        text = args.get(name, "").strip()
        if not text:
            continue
        try:
            given[name] = float(text) if name in SHARES else int(text)
        except ValueError:
            raise ValueError(f"{name}: not a number: {text[:40]!r}") from None
    return validate_settings({**stored, **given}) if given else None
