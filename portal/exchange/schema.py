"""Field tables of the exchange format `samverkan/1` (see shared/spec/exchange-format.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FORMAT = "samverkan/1"

# Dependency order: a list only refers to lists before it (apart from self references).
LISTS: tuple[str, ...] = (
    "organisations",
    "people",
    "areas",
    "forums",
    "commissions",
    "milestones",
    "recommendations",
    "actions",
    "decisions",
    "indicators",
)

# The word used for one entry of a list in messages such as 'unknown forum "xyz"'.
NOUNS: dict[str, str] = {
    "organisations": "organisation",
    "people": "person",
    "areas": "area",
    "forums": "forum",
    "commissions": "commission",
    "milestones": "milestone",
    "recommendations": "recommendation",
    "actions": "action",
    "decisions": "decision",
    "indicators": "indicator",
}

KEY_LENGTH = 64
SHORT_TEXT = 500
LONG_TEXT = 20_000
MAX_ENTRIES = 200_000


class Kind(Enum):
    """How a field's JSON value is checked and normalized."""

    TEXT = "text"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    DATE = "date"
    ENUM = "enum"
    REF = "ref"
    REFS = "refs"
    TEXTS = "texts"
    OBJECTS = "objects"


@dataclass(frozen=True)
class Field:
    """One field of an entry (or of an item inside a list of objects)."""

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
    unique_by: str | None = None

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


def refs(name: str, target: str) -> Field:
    """A list of distinct keys of entries in the list `target`."""
    return Field(name, Kind.REFS, target=target)


def enum(
    name: str, choices: tuple[str, ...], required: bool = False, default: str | None = None
) -> Field:
    """A string that must be one of `choices`."""
    return Field(name, Kind.ENUM, required=required, default=default, choices=choices)


def date(name: str, required: bool = False) -> Field:
    """A calendar date written YYYY-MM-DD."""
    return Field(name, Kind.DATE, required=required)


def flag(name: str) -> Field:
    """An optional boolean that defaults to false."""
    return Field(name, Kind.BOOL, default=False)


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

FORUM_MEMBER = (ref("person", "people", required=True), enum("role", MEMBER_ROLES, required=True))
INDICATOR_VALUE = (date("date", required=True), Field("value", Kind.NUMBER, required=True))

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
        Field("members", Kind.OBJECTS, items=FORUM_MEMBER, unique_by="person"),
    ),
    "commissions": (
        text("title", required=True),
        ref("owner", "forums"),
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
        Field("progress", Kind.INT, default=0, low=0, high=100),
    ),
    "decisions": (
        text("title", required=True),
        ref("forum", "forums", required=True),
        date("date", required=True),
        text("text", limit=LONG_TEXT),
        refs("actions", "actions"),
    ),
    "indicators": (
        text("name", required=True),
        text("unit"),
        refs("areas", "areas"),
        Field("target", Kind.NUMBER),
        Field("values", Kind.OBJECTS, items=INDICATOR_VALUE, unique_by="date"),
    ),
}
