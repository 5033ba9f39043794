"""Keeping the register up to date: organisations, people and focus areas (admins only).

Each entity is checked as a `samverkan/1` entry with the import's rules before it is written,
and every write is recorded in the audit trail with the entity before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import PermissionDenied, can_edit_register
from portal.concurrency import Conflict, fingerprint, lock_row
from portal.entries import EntryError, entry_errors, unique_key
from portal.exchange.importer import ENTITY_TYPES
from portal.extensions import db
from portal.models import Area, Organisation, Person

if TYPE_CHECKING:
    from portal.models import User

Entry = dict[str, Any]


def create_organisation(actor: User, entry: Entry) -> Organisation:
    """Add an organisation; `entry` has the exchange fields (key may be left empty).

    :raise PermissionDenied: unless the actor is an admin.
    :raise EntryError: naming each field the import would refuse.
    """
    return create(actor, "organisations", Organisation, entry, _apply_organisation)


def update_organisation(actor: User, org: Organisation, entry: Entry) -> Organisation:
    """Change an organisation (its key stays); an organisation may not be its own ancestor."""
    return update(actor, "organisations", org, entry, _apply_organisation)


def create_person(actor: User, entry: Entry) -> Person:
    """Add a person, who must belong to an existing organisation."""
    return create(actor, "people", Person, entry, _apply_person)


def update_person(actor: User, person: Person, entry: Entry) -> Person:
    """Change a person's name, organisation, title or email."""
    return update(actor, "people", person, entry, _apply_person)


def create_area(actor: User, entry: Entry) -> Area:
    """Add a focus area."""
    return create(actor, "areas", Area, entry, _apply_area)


def update_area(actor: User, area: Area, entry: Entry) -> Area:
    """Change a focus area's name or description."""
    return update(actor, "areas", area, entry, _apply_area)


# --- The shared steps ---------------------------------------------------------------------


def require(allowed: bool) -> None:
    """Refuse the change when the permission module says no."""
    if not allowed:
        raise PermissionDenied()


def cleaned(entry: Entry) -> Entry:
    """Text trimmed, and empty text as None, as the import treats an empty optional field."""
    out = {}
    for name, value in entry.items():
        if isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out


def create(actor: User, list_name: str, model, entry: Entry,
           apply: Callable[[Any, Entry], None], allowed: bool | None = None):
    """Check a new entry as the import would, write it and record it; return the entity."""
    require(can_edit_register(actor) if allowed is None else allowed)
    entry = cleaned(entry)
    if not entry.get("key"):
        entry["key"] = unique_key(model, entry.get("name") or entry.get("title") or "")
    errors = entry_errors(list_name, entry)
    if "key" not in errors and db.session.scalar(select(model.id).where(model.key == entry["key"])):
        errors["key"] = str(_l("The key %(key)s is already used.", key=entry["key"]))
    if errors:
        raise EntryError(errors)
    obj = model(key=entry["key"])
    db.session.add(obj)
    with db.session.no_autoflush:  # apply looks references up; the row is not complete yet
        apply(obj, entry)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone else added the same key between the check above and this write.
        db.session.rollback()
        if db.session.scalar(select(model.id).where(model.key == entry["key"])) is None:
            raise
        raise EntryError({"key": str(_l("The key %(key)s is already used.",
                                        key=entry["key"]))}) from None
    record(actor, "create", ENTITY_TYPES[list_name], obj.key, after=snapshot(obj))
    db.session.commit()
    return obj


def update(actor: User, list_name: str, obj, changes: Entry,
           apply: Callable[[Any, Entry], None], allowed: bool | None = None,
           extra: dict[str, Any] | None = None, based_on: str | None = None):
    """Check the changed entry as the import would, write it and record before and after.

    `based_on` is the fingerprint of the fields as the editor saw them (`views.based_on_of`);
    when given (forms always give it), the entity is read again under its write lock and an
    edit of a state someone else has changed since is refused with `Conflict`, an edit that
    does not say what it was based on ("") with `EntryError`. None: not checked (internal).
    """
    require(can_edit_register(actor) if allowed is None else allowed)
    if based_on is not None:
        _claim(obj, list_name, changes, based_on)
    before = snapshot(obj)
    entry = {**before, **cleaned(changes), "key": obj.key}
    errors = entry_errors(list_name, entry)
    if errors:
        raise EntryError(errors)
    with db.session.no_autoflush:
        apply(obj, entry)
    db.session.flush()
    record(actor, "update", ENTITY_TYPES[list_name], obj.key, before=before,
           after=snapshot(obj), data=extra)
    db.session.commit()
    return obj


def _claim(obj, list_name: str, changes: Entry, based_on: str) -> None:
    """Hold the entity's write lock and check that the edit was based on what is stored now.

    :raise EntryError: when the form did not say what it was based on.
    :raise Conflict: when someone else changed the entity after the editor opened it.
    """
    if not based_on:
        raise EntryError({"": str(_l("The form lacks the version it was opened at. Open it "
                                     "again and make your change."))})
    lock_row(type(obj), obj.id)
    db.session.expire_all()  # what was read before the lock may be older than what it guards
    if fingerprint(snapshot(obj), changes) != based_on:
        name = getattr(obj, "name", None) or getattr(obj, "title", None) or obj.key
        raise Conflict(
            str(_l("Someone else changed %(name)s after you opened it. Open it again to see "
                   "what is stored now, then make your change.", name=name)),
            (f"{ENDPOINTS[list_name]}", {"key": obj.key}, str(_l("Open it as it is now"))))


# The page of each kind of register entry, for a refusal to link to.
ENDPOINTS = {"organisations": "directory.organisation", "people": "directory.person",
             "areas": "directory.area", "forums": "directory.forum",
             "documents": "documents.detail"}


def by_key(model, key: str | None):
    """The entity with this key, or None for no key (the entry check found it exists)."""
    if key is None:
        return None
    return db.session.scalar(select(model).where(model.key == key))


def by_keys(model, keys: list[str] | None) -> list:
    """The entities with these keys."""
    if not keys:
        return []
    return list(db.session.scalars(select(model).where(model.key.in_(keys))))


def _apply_organisation(org: Organisation, entry: Entry) -> None:
    org.name, org.kind = entry["name"], entry["kind"]
    org.parent = by_key(Organisation, entry.get("parent"))
    org.is_principal = bool(entry.get("principal"))


def _apply_person(person: Person, entry: Entry) -> None:
    person.name, person.title, person.email = entry["name"], entry.get("title"), entry.get("email")
    person.organisation = by_key(Organisation, entry["organisation"])


def _apply_area(area: Area, entry: Entry) -> None:
    area.name, area.description = entry["name"], entry.get("description")
