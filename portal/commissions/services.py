"""Changing commissions: milestones, actions and recommendations.

Every function takes the acting user, checks `can_edit`, validates, records the audit trail
with before/after snapshots and commits. Forms carry the version they were opened at; a change
to an object someone else has saved since is refused with `StaleEdit`, never written over.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.events import count_refusal
from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import PermissionDenied, can_edit
from portal.concurrency import StaleEdit
from portal.dates import today
from portal.entries import EntryError, free_key, slug
from portal.exchange.schema import LONG_TEXT
from portal.extensions import db
from portal.forms import date_range_error
from portal.models import Action, Area, Commission, Forum, Milestone, Person, Recommendation
from portal.models.base import KEY_LENGTH
from portal.models.commission import ACTION_STATUSES

if TYPE_CHECKING:
    from portal.models import User

__all__ = ["EntryError", "PermissionDenied", "StaleEdit"]

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
TITLE_MAX = TEXT_MAX = LONG_TEXT  # what an import accepts, a form accepts


# --- shared by every write of the area ---------------------------------------------------


def entity_ref(obj: Any) -> tuple[str, str]:
    """The (entity_type, entity_key) under which the audit trail files an object."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()
    key = getattr(obj, "key", None) or str(obj.id)
    return kind, key


def require_edit(actor: User | None, obj: Any) -> None:
    """Refuse, and record the refusal, unless the actor may change the object."""
    if can_edit(actor, obj):
        return
    count_refusal(actor)
    raise PermissionDenied()


def check_version(obj: Any, version: int | str | None) -> None:
    """Refuse a change made from a form opened at another version of the object."""
    try:
        opened_at = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        # Without the version it was based on, a write could overwrite any later change.
        raise EntryError({"version": _l("The form lacks the version it was opened at. "
                                        "Open it again and make your change.")}) from None
    if opened_at != obj.version:
        raise StaleEdit(obj)


def _stored_version(obj: Any) -> int | None:
    """The object's version as committed now (not as this session loaded it)."""
    table = sa_inspect(obj).mapper.local_table
    with db.session.no_autoflush:
        return db.session.execute(select(table.c.version).where(table.c.id == obj.id)).scalar()


def commit_change(actor: User | None, obj: Any, action: str, before: dict | None,
                  data: dict | None = None) -> bool:
    """Record the change (if any, with `data` in its audit entry) and commit; False when
    nothing differed."""
    after = snapshot(obj)
    if before is not None and before == after:
        # Nothing to write; but a form opened before someone else's save asked for what is no
        # longer stored, and its "nothing changed" would silently keep their values.
        stale = hasattr(obj, "version") and _stored_version(obj) != obj.version
        db.session.rollback()
        if stale:
            db.session.refresh(obj)
            raise StaleEdit(obj)
        return False
    if before is not None and hasattr(obj, "version"):
        # Link-only changes (areas) do not touch the row; the version must still move on.
        mapper = sa_inspect(obj).mapper
        flag_modified(obj, next(a.key for a in mapper.column_attrs
                                if a.key not in ("id", "version")))
    kind, key = entity_ref(obj)
    try:
        # The UPDATE says `WHERE version = <opened at>`: a concurrent save that came first makes
        # it match no row, here at the flush (or at the commit), never anywhere else.
        db.session.flush()
        record(actor, action, kind, key, before=before, after=after, data=data)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(obj)
        raise StaleEdit(obj) from None
    return True


def check_date(errors: dict, field: str, value: Any, *, required: bool = False,
               not_after: date | None = None) -> None:
    """Add an error unless the value is a real date in a sensible range."""
    if value is None:
        if required:
            errors[field] = _l("Enter a date.")
        return
    if not isinstance(value, date):
        errors[field] = _l("Enter a real date, such as 2025-10-31.")
    elif date_range_error(value):  # one range for every date in the portal
        errors[field] = date_range_error(value)
    elif not_after is not None and value > not_after:
        errors[field] = _l("The date cannot be in the future.")


def check_text(errors: dict, field: str, value: str | None, limit: int,
               required: bool = True) -> str:
    """Return the trimmed text, adding an error when it is missing or too long."""
    text = (value or "").strip()
    if required and not text:
        errors[field] = _l("This field is required.")
    elif len(text) > limit:
        errors[field] = _l("Write at most %(num)d characters.", num=limit)
    return text


def lookup(errors: dict, field: str, model, key: str | None):
    """The entity with this key, None for no key; an error when the key is unknown."""
    if not key:
        return None
    obj = db.session.scalar(select(model).where(model.key == key))
    if obj is None:
        errors[field] = _l("Choose one of the listed values.")
    return obj


def new_key(model, prefix: str, title: str) -> str:
    """A free key made from the title, such as `a-<ascii slug>`, at most 64 characters."""
    return free_key(model, f"{prefix}-{slug(title, KEY_LENGTH - len(prefix) - 4)}")


# --- milestones --------------------------------------------------------------------------


def set_milestone_reached(actor: User | None, milestone: Milestone, version: int | str | None,
                          done_on: date | None) -> Milestone:
    """Mark a milestone reached on a date, or (with None) not reached."""
    require_edit(actor, milestone)
    check_version(milestone, version)
    errors: dict[str, Any] = {}
    check_date(errors, "done_on", done_on, not_after=today())
    if errors:
        raise EntryError(errors)
    before = snapshot(milestone)
    milestone.done_on = done_on
    commit_change(actor, milestone, "update", before)
    return milestone


# --- actions -----------------------------------------------------------------------------


def _action_values(data: dict[str, Any]) -> dict[str, Any]:
    """Check an action's fields and resolve the keys; raise EntryError naming each problem."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {"title": check_text(errors, "title", data.get("title"), TITLE_MAX)}
    status = data.get("status") or "planned"
    if status not in ACTION_STATUSES:
        errors["status"] = _l("Choose one of the listed values.")
    progress = data.get("progress")
    if progress is None or isinstance(progress, bool) or not isinstance(progress, int) \
            or not 0 <= progress <= 100:
        errors["progress"] = _l("Give the progress as a whole number from 0 to 100.")
    check_date(errors, "due_on", data.get("due_on"))
    values.update(
        status=status,
        progress=100 if status == "done" else progress,
        due_on=data.get("due_on"),
        owner_person=lookup(errors, "owner_person", Person, data.get("owner_person")),
        owner_forum=lookup(errors, "owner_forum", Forum, data.get("owner_forum")),
        recommendation=lookup(errors, "recommendation", Recommendation,
                              data.get("recommendation")),
        areas=_areas(errors, data.get("areas") or []),
    )
    if errors:
        raise EntryError(errors)
    return values


def _check_recommendation_scope(actor: User | None, chosen: Recommendation | None,
                                stored: Recommendation | None) -> None:
    """An action counts towards a recommendation's progress, so linking one to a
    recommendation of a commission the actor does not lead (its lead would see it as done)
    is refused; a link that is already stored stays."""
    if chosen is None or chosen is stored or can_edit(actor, chosen):
        return
    raise EntryError({"recommendation": _l(
        "Link only to recommendations of commissions you lead.")})


def _areas(errors: dict, keys: Iterable[str]) -> list[Area]:
    """The focus areas with these keys; an error when one is unknown."""
    keys = sorted(set(keys))
    found = db.session.scalars(select(Area).where(Area.key.in_(keys))).all() if keys else []
    if len(found) != len(keys):
        errors["areas"] = _l("Choose one of the listed values.")
    return sorted(found, key=lambda a: a.name)


def create_action(actor: User | None, commission: Commission, **data: Any) -> Action:
    """Add an action to a commission, with a key made from its title."""
    require_edit(actor, commission)
    values = _action_values(data)
    _check_recommendation_scope(actor, values["recommendation"], None)
    action = Action(key=new_key(Action, "a", values["title"]), commission=commission, **values)
    db.session.add(action)
    commit_change(actor, action, "create", None)
    return action


def update_action(actor: User | None, action: Action, version: int | str | None,
                  **data: Any) -> Action:
    """Change an action's title, status, progress, owners, deadline, areas or recommendation.

    Fields left out keep their stored values; status `done` sets progress to 100.
    """
    require_edit(actor, action)
    check_version(action, version)
    stored = snapshot(action)
    current = {"title": action.title, "status": action.status, "progress": action.progress,
               "due_on": action.due_on, "owner_person": stored["owner_person"],
               "owner_forum": stored["owner_forum"], "recommendation": stored["recommendation"],
               "areas": stored["areas"]}
    values = _action_values({**current, **data})
    _check_recommendation_scope(actor, values["recommendation"], action.recommendation)
    for name, value in values.items():
        setattr(action, name, value)
    commit_change(actor, action, "update", stored)
    return action


# --- recommendations ---------------------------------------------------------------------


def _recommendation_values(data: dict[str, Any]) -> dict[str, Any]:
    """Check a recommendation's text and areas."""
    errors: dict[str, Any] = {}
    values = {"text": check_text(errors, "text", data.get("text"), TEXT_MAX),
              "areas": _areas(errors, data.get("areas") or [])}
    if errors:
        raise EntryError(errors)
    return values


def create_recommendation(actor: User | None, commission: Commission,
                          **data: Any) -> Recommendation:
    """Add a recommendation to a commission, with a key made from its text."""
    require_edit(actor, commission)
    values = _recommendation_values(data)
    rec = Recommendation(key=new_key(Recommendation, "r", values["text"][:60]),
                         commission=commission, **values)
    db.session.add(rec)
    commit_change(actor, rec, "create", None)
    return rec


def update_recommendation(actor: User | None, rec: Recommendation, version: int | str | None,
                          **data: Any) -> Recommendation:
    """Change a recommendation's text or focus areas."""
    require_edit(actor, rec)
    check_version(rec, version)
    before = snapshot(rec)
    values = _recommendation_values({"text": rec.text, "areas": before["areas"], **data})
    for name, value in values.items():
        setattr(rec, name, value)
    commit_change(actor, rec, "update", before)
    return rec
