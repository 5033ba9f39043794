"""Field tables of the exchange format `samverkan/1` (see docs/exchange-format.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from portal.dates import FIRST_DATE, LAST_DATE

FORMAT = "samverkan/1"

# Dependency order: a list only refers to lists before it, apart from self references and
# milestones' `decided_by`, which the importer links after the decisions are written.
LISTS: tuple[str, ...] = (
    "organisations",
    "people",
    "areas",
    "forums",
    "documents",
    "commissions",
    "milestones",
    "recommendations",
    "actions",
    "meetings",
    "decisions",
    "indicators",
    "status_reports",
    "risks",
)

KEY_LENGTH = 64
SHORT_TEXT = 500
LONG_TEXT = 20_000
MAX_ENTRIES = 200_000
# One date range for the whole portal, FIRST_DATE to LAST_DATE (portal.dates): no calendar or
# report breaks on a date inside it.
DATE_RANGE = (FIRST_DATE, LAST_DATE)


class Kind(Enum):
    """How a field's JSON value is checked and normalized."""

    TEXT = "text"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    URL = "url"
    ENUM = "enum"
    REF = "ref"
    REFS = "refs"
    TEXTS = "texts"
    OBJECTS = "objects"


@dataclass(frozen=True)
class Field:
    """One field of an entry (or of an item inside a list of objects).

    `unique_by` names the item fields that no two items of a list of objects may share (a
    person once per forum; one value per date and organisation); the error is located at the
    last of them. `nullable_list`: a list field where `null` (absent, not recorded) differs
    from `[]` (a meeting's `present`; its `apologies` and approvers, which only a held meeting
    may give, even empty).
    """

    name: str
    kind: Kind
    required: bool = False
    default: object = None
    limit: int = SHORT_TEXT
    target: str | None = None
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    items: tuple[Field, ...] = ()
    unique_by: tuple[str, ...] = ()
    nullable_list: bool = False

    @property
    def is_list(self) -> bool:
        """Whether the field holds a JSON array (its default is a fresh empty list)."""
        return self.kind in (Kind.REFS, Kind.TEXTS, Kind.OBJECTS)


def text(name: str, required: bool = False, limit: int = SHORT_TEXT) -> Field:
    """A string field with a length limit."""
    return Field(name, Kind.TEXT, required=required, limit=limit)


def ref(name: str, target: str, required: bool = False) -> Field:
    """A key of an entry in the list `target`."""
    return Field(name, Kind.REF, required=required, target=target)


def refs(name: str, target: str, nullable: bool = False) -> Field:
    """A list of distinct keys of entries in the list `target`."""
    return Field(name, Kind.REFS, target=target, nullable_list=nullable)


def enum(
    name: str, choices: tuple[str, ...], required: bool = False, default: str | None = None
) -> Field:
    """A string that must be one of `choices`."""
    return Field(name, Kind.ENUM, required=required, default=default, choices=choices)


def date(name: str, required: bool = False) -> Field:
    """A calendar date written YYYY-MM-DD, from FIRST_DATE to LAST_DATE."""
    return Field(name, Kind.DATE, required=required)


def flag(name: str, default: bool = False) -> Field:
    """An optional boolean."""
    return Field(name, Kind.BOOL, default=default)


def integer(name: str, low: int, high: int, required: bool = False, default=None) -> Field:
    """A JSON number without a fraction from `low` to `high`."""
    return Field(name, Kind.INT, required=required, default=default, low=low, high=high)


ORGANISATION_KINDS = (
    "region",
    "region_unit",
    "municipality",
    "private_provider",
    "user_organisation",
    "union",
    "national",
    "other",
)
FORUM_KINDS = (
    "collaboration",
    "knowledge_management",
    "local_forum",
    "management",
    "political",
    "consultation",
    "working_group",
)
FORUM_LEVELS = ("national", "county", "regional", "local")
MEMBER_ROLES = ("chair", "member", "secretary", "coordinator", "adjunct")
COMMISSION_STATUSES = ("planned", "active", "delivered", "closed")
ACTION_STATUSES = ("planned", "in_progress", "done", "blocked", "cancelled")
MEETING_STATUSES = ("planned", "held", "cancelled")
DOCUMENT_KINDS = ("directive", "plan", "report", "definition", "agreement", "other")
STATUS_LIGHTS = ("on_track", "at_risk", "off_track")
RISK_STATUSES = ("open", "mitigated", "closed")

FORUM_MEMBER = (
    ref("person", "people", required=True),
    enum("role", MEMBER_ROLES, required=True),
    refs("on_behalf_of", "organisations"),
)
INDICATOR_VALUE = (
    date("date", required=True),
    Field("value", Kind.NUMBER, required=True),
    ref("organisation", "organisations"),
)
AGENDA_ITEM = (
    text("title", required=True),
    ref("commission", "commissions"),
    ref("milestone", "milestones"),
    ref("action", "actions"),
    ref("recommendation", "recommendations"),
)
# Fields of a meeting that only a held meeting may have.
HELD_ONLY = ("present", "apologies", "minutes_approved_on", "minutes_approved_by")

# The fields of each list after `key`, in the order they are checked and normalized.
FIELDS: dict[str, tuple[Field, ...]] = {
    "organisations": (
        text("name", required=True),
        enum("kind", ORGANISATION_KINDS, required=True),
        ref("parent", "organisations"),
        flag("principal"),
    ),
    "people": (
        text("name", required=True),
        ref("organisation", "organisations", required=True),
        text("title", limit=LONG_TEXT),
        text("email", limit=LONG_TEXT),
    ),
    "areas": (
        text("name", required=True),
        text("description", limit=LONG_TEXT),
    ),
    "forums": (
        text("name", required=True),
        enum("kind", FORUM_KINDS, required=True),
        enum("level", FORUM_LEVELS, required=True),
        flag("apex"),
        ref("reports_to", "forums"),
        refs("areas", "areas"),
        text("mandate", limit=LONG_TEXT),
        text("meets", limit=LONG_TEXT),
        Field("members", Kind.OBJECTS, items=FORUM_MEMBER, unique_by=("person",)),
        refs("scope", "organisations"),
    ),
    "documents": (
        text("title", required=True),
        enum("kind", DOCUMENT_KINDS, required=True),
        date("date"),
        ref("owner", "forums"),
        ref("parent", "documents"),
        refs("areas", "areas"),
        text("summary", limit=LONG_TEXT),
        Field("url", Kind.URL, limit=2_000),
    ),
    "commissions": (
        text("title", required=True),
        ref("owner", "forums"),
        refs("co_owners", "forums"),
        ref("directive", "documents"),
        ref("lead", "people"),
        refs("members", "people"),
        date("start"),
        date("end"),
        Field("goals", Kind.TEXTS, limit=LONG_TEXT),
        enum("status", COMMISSION_STATUSES, default="active"),
    ),
    "milestones": (
        text("title", required=True),
        ref("commission", "commissions", required=True),
        text("code"),
        date("due", required=True),
        date("done_on"),
        refs("decided_by", "decisions"),
    ),
    "recommendations": (
        text("text", required=True, limit=LONG_TEXT),
        ref("commission", "commissions"),
        refs("areas", "areas"),
    ),
    "actions": (
        text("title", required=True),
        ref("commission", "commissions"),
        ref("recommendation", "recommendations"),
        ref("owner_person", "people"),
        ref("owner_forum", "forums"),
        refs("areas", "areas"),
        date("due"),
        enum("status", ACTION_STATUSES, default="planned"),
        integer("progress", 0, 100, default=0),
    ),
    "meetings": (
        ref("forum", "forums", required=True),
        date("date", required=True),
        Field("start", Kind.TIME),
        integer("duration", 1, 1440),
        enum("status", MEETING_STATUSES, default="planned"),
        text("title"),
        text("place"),
        Field("agenda", Kind.OBJECTS, items=AGENDA_ITEM),
        refs("present", "people", nullable=True),
        refs("apologies", "people", nullable=True),
        date("minutes_approved_on"),
        refs("minutes_approved_by", "people", nullable=True),
    ),
    "decisions": (
        text("title", required=True),
        ref("forum", "forums", required=True),
        date("date", required=True),
        text("text", limit=LONG_TEXT),
        refs("actions", "actions"),
        ref("meeting", "meetings"),
        refs("documents", "documents"),
    ),
    "indicators": (
        text("name", required=True),
        text("unit"),
        refs("areas", "areas"),
        Field("target", Kind.NUMBER),
        Field(
            "values", Kind.OBJECTS, items=INDICATOR_VALUE, unique_by=("date", "organisation")
        ),
        text("definition", limit=LONG_TEXT),
        text("source", limit=LONG_TEXT),
        text("target_source", limit=LONG_TEXT),
        flag("higher_is_better", default=True),
    ),
    "status_reports": (
        ref("commission", "commissions", required=True),
        date("date", required=True),
        enum("light", STATUS_LIGHTS, required=True),
        text("comment", limit=LONG_TEXT),
    ),
    "risks": (
        text("title", required=True),
        ref("commission", "commissions", required=True),
        integer("likelihood", 1, 5, required=True),
        integer("consequence", 1, 5, required=True),
        ref("owner_person", "people"),
        text("mitigation", limit=LONG_TEXT),
        enum("status", RISK_STATUSES, default="open"),
    ),
}

# List fields whose order carries no meaning: two entries are the same when these are equal
# as sets (an agenda's order, and `goals`, carry meaning and are compared as they are).
SET_FIELDS: dict[str, tuple[str, ...]] = {
    "forums": ("areas", "scope"),
    "documents": ("areas",),
    "commissions": ("co_owners", "members"),
    "milestones": ("decided_by",),
    "recommendations": ("areas",),
    "actions": ("areas",),
    "meetings": ("present", "apologies", "minutes_approved_by"),
    "decisions": ("actions", "documents"),
    "indicators": ("areas",),
}
# Lists whose entries are records: once stored, a different version is an error.
RECORD_LISTS = ("decisions", "status_reports")
