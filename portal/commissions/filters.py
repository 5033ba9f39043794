"""Filtering and sorting a commission's actions: plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from portal.models.commission import ACTION_STATUSES

NO_OWNER = "none"
SORTS = ("due", "-due", "title", "-title", "status", "-status", "progress", "-progress",
         "owner", "-owner")
DEFAULT_SORT = "due"


@dataclass(frozen=True)
class ActionFilter:
    """Which actions to show and in what order, as the query string says."""

    status: str = ""
    owner: str = ""
    area: str = ""
    overdue: bool = False
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        """True when some actions may be hidden."""
        return bool(self.status or self.owner or self.area or self.overdue)

    def args(self, **changes: Any) -> dict[str, str]:
        """The query-string arguments of this filter (with changes), defaults left out."""
        values = asdict(replace(self, **changes))
        args = {k: str(v) for k, v in values.items() if v and k not in ("overdue", "sort")}
        if values["overdue"]:
            args["overdue"] = "1"
        if values["sort"] != DEFAULT_SORT:
            args["sort"] = values["sort"]
        return args

    def sorted_by(self, column: str) -> str:
        """The sort a column heading links to: ascending first, then descending."""
        return f"-{column}" if self.sort == column else column

    def aria_sort(self, column: str) -> str | None:
        """The column's `aria-sort` value, None when the table is not sorted by it."""
        if self.sort == column:
            return "ascending"
        return "descending" if self.sort == f"-{column}" else None


def parse_filter(args: Mapping[str, str]) -> ActionFilter:
    """Read the filter from query arguments; values that make no sense are ignored."""
    status = args.get("status", "")
    owner = args.get("owner", "")[:80]
    sort = args.get("sort", DEFAULT_SORT)
    return ActionFilter(
        status=status if status in ACTION_STATUSES else "",
        owner=owner if owner == NO_OWNER or owner[:2] in ("p:", "f:") else "",
        area=args.get("area", "")[:64],
        overdue=args.get("overdue", "") in ("1", "on", "true", "y"),
        sort=sort if sort in SORTS else DEFAULT_SORT,
    )


def owner_refs(action) -> set[str]:
    """The owner filter values an action matches (`p:<person>`, `f:<forum>` or `none`)."""
    refs = set()
    if action.owner_person is not None:
        refs.add(f"p:{action.owner_person.key}")
    if action.owner_forum is not None:
        refs.add(f"f:{action.owner_forum.key}")
    return refs or {NO_OWNER}


def is_overdue(action, today: date) -> bool:
    """An open action whose deadline has passed."""
    return action.is_open and action.due_on is not None and action.due_on < today


def owner_choices(actions) -> list[tuple[str, str]]:
    """The owners that occur among the actions, as (filter value, name), by name."""
    choices = {}
    for action in actions:
        if action.owner_person is not None:
            choices[f"p:{action.owner_person.key}"] = action.owner_person.name
        if action.owner_forum is not None:
            choices[f"f:{action.owner_forum.key}"] = action.owner_forum.name
    return sorted(choices.items(), key=lambda item: item[1].casefold())


def _owner_name(action) -> str:
    owner = action.owner_person or action.owner_forum
    return owner.name.casefold() if owner is not None else "\uffff"


_SORT_KEYS = {
    "due": lambda a: (a.due_on is None, a.due_on or date.max),
    "title": lambda a: a.title.casefold(),
    "status": lambda a: ACTION_STATUSES.index(a.status) if a.status in ACTION_STATUSES else 99,
    "progress": lambda a: a.progress,
    "owner": _owner_name,
}


def filter_actions(actions, wanted: ActionFilter, today: date) -> list:
    """The actions that pass the filter, in the wanted order (title breaks ties)."""
    shown = [
        a for a in actions
        if (not wanted.status or a.status == wanted.status)
        and (not wanted.owner or wanted.owner in owner_refs(a))
        and (not wanted.area or any(area.key == wanted.area for area in a.areas))
        and (not wanted.overdue or is_overdue(a, today))
    ]
    column = wanted.sort.lstrip("-")
    shown.sort(key=lambda a: a.title.casefold())
    if wanted.sort.startswith("-") and column == "due":
        # Latest deadline first, but actions without one still last.
        dated = sorted((a for a in shown if a.due_on), key=lambda a: a.due_on, reverse=True)
        return dated + [a for a in shown if not a.due_on]
    shown.sort(key=_SORT_KEYS[column], reverse=wanted.sort.startswith("-"))
    return shown
