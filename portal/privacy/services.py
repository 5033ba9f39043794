"""GDPR: what the portal holds on a person, and pseudonymising a person who leaves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, update

from portal.audit.guards import rewrite_personal_data
from portal.audit.services import record
from portal.dates import today
from portal.extensions import db
from portal.models import (
    Action,
    AuditEntry,
    Commission,
    ForumMembership,
    Person,
    Risk,
    User,
    UserSession,
)
from portal.models.base import utcnow
from portal.models.commission import commission_member
from portal.models.snapshot import StructureSnapshot
from portal.privacy.scrub import (
    Identity,
    mentions,
    mentions_condition,
    scrub_copy,
    scrub_record,
    search_terms,
)

if TYPE_CHECKING:
    from datetime import datetime

EXPORT_FORMAT = "samverkan-personal-data/1"
PSEUDONYM_KEY = "pseudonymiserad-"
PSEUDONYM_NAME = "Pseudonymiserad person {n}"


class PrivacyError(ValueError):
    """A privacy operation was refused; the message says why."""


def _iso(moment: datetime | Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def is_pseudonymised(person: Person) -> bool:
    """True when the person has already been pseudonymised."""
    return person.key.startswith(PSEUDONYM_KEY)


def linked_users(person: Person) -> list[User]:
    """The accounts that stand for this person."""
    return list(db.session.scalars(select(User).where(User.person_id == person.id)))


def _audit_about(person: Person, users: list[User]) -> list[AuditEntry]:
    """Audit entries about the person or their accounts, by their accounts, or naming them."""
    ids = [u.id for u in users]
    texts = tuple(t for t in (person.key, person.name, person.email) if t)
    columns = (AuditEntry.before, AuditEntry.after, AuditEntry.data)
    conditions = [
        and_(AuditEntry.entity_type == "person", AuditEntry.entity_key == person.key),
        mentions_condition(columns, search_terms(*texts)),
    ]
    if ids:
        conditions += [AuditEntry.user_id.in_(ids), and_(
            AuditEntry.entity_type == "user", AuditEntry.entity_key.in_([str(i) for i in ids]))]
    entries = db.session.scalars(select(AuditEntry).where(or_(*conditions))
                                 .order_by(AuditEntry.id))
    accounts = {str(i) for i in ids}
    return [e for e in entries
            if e.user_id in ids
            or (e.entity_type, e.entity_key) == ("person", person.key)
            or (e.entity_type == "user" and e.entity_key in accounts)
            or any(mentions(v, texts) for v in (e.before, e.after, e.data))]


def _account(user: User) -> dict[str, Any]:
    """An account as the person may see it: never the password hash or session tokens."""
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                  .order_by(UserSession.id))
    return {
        "email": user.email, "role": user.role, "is_enabled": user.is_enabled,
        "locale": user.locale, "created_at": _iso(user.created_at),
        "last_login_at": _iso(user.last_login_at),
        "sessions": [{"created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at),
                      "ended_at": _iso(s.ended_at)} for s in sessions],
    }


def personal_data(actor: User, person: Person) -> dict[str, Any]:
    """Everything the portal holds on a person (GDPR art. 15), recorded as an export."""
    users = linked_users(person)
    memberships = db.session.scalars(
        select(ForumMembership).where(ForumMembership.person_id == person.id)
        .order_by(ForumMembership.id))
    led = db.session.scalars(select(Commission).where(Commission.lead_id == person.id))
    member_of = db.session.scalars(
        select(Commission).join(commission_member,
                                commission_member.c.commission_id == Commission.id)
        .where(commission_member.c.person_id == person.id))
    actions = db.session.scalars(select(Action).where(Action.owner_person_id == person.id))
    risks = db.session.scalars(select(Risk).where(Risk.owner_person_id == person.id))
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "person": {"key": person.key, "name": person.name, "title": person.title,
                   "email": person.email, "organisation": {
                       "key": person.organisation.key, "name": person.organisation.name}},
        "forum_memberships": [{"forum": m.forum.key, "forum_name": m.forum.name,
                               "role": m.role, "ended_on": _iso(m.ended_on)}
                              for m in memberships],
        "commissions_led": [{"key": c.key, "title": c.title} for c in led],
        "commission_memberships": [{"key": c.key, "title": c.title} for c in member_of],
        "actions_owned": [{"key": a.key, "title": a.title, "status": a.status,
                           "due": _iso(a.due_on)} for a in actions],
        "risks_owned": [{"commission": r.commission.key, "title": r.title, "status": r.status}
                        for r in risks],
        "user_accounts": [_account(u) for u in users],
        "audit_entries": [{"at": _iso(e.at), "actor": e.actor, "action": e.action,
                           "entity_type": e.entity_type, "entity_key": e.entity_key,
                           "before": e.before, "after": e.after, "data": e.data}
                          for e in _audit_about(person, users)],
    }
    record(actor, "export_personal_data", "person", person.key)
    db.session.commit()
    return data


def _next_number() -> int:
    """The number of the next pseudonym: one more than the highest so far."""
    keys = db.session.scalars(select(Person.key).where(Person.key.startswith(PSEUDONYM_KEY)))
    numbers = [int(k[len(PSEUDONYM_KEY):]) for k in keys if k[len(PSEUDONYM_KEY):].isdigit()]
    return max(numbers, default=0) + 1


def pseudonymise(actor: User, person: Person) -> Person:
    """Replace a departing person's identity with a pseudonym, everywhere, in one transaction.

    What happens: the name becomes "Pseudonymiserad person <n>" and the key
    "pseudonymiserad-<n>" (keys are often made from names); title and e-mail are removed;
    the person's current forum seats end today; their accounts are disabled, signed out and
    detached. Decisions, the history of memberships, commissions and actions stay, now
    pointing at the pseudonym.

    Why the audit trail is rewritten, although it is append-only: the trail must show who
    did what and when, so it cannot be deleted, but it must not keep personal data longer
    than needed either (GDPR art. 5.1 c and e, art. 17). The two are reconciled by allowing
    exactly one operation, this one, to rewrite the personal fields inside the JSON of past
    entries (`before`, `after`, `data`, and `entity_key` of the person's own entries), through
    `rewrite_personal_data`: the ORM guard and the PostgreSQL trigger let only those columns
    change, only inside this transaction. Who acted, what they did and when are never
    rewritten. Inside the JSON, the person's own entries lose name, title and e-mail, and
    any text that is exactly the old key or name is replaced; longer free texts (the wording
    of a decision) are records in their own right and are kept as written. The accounts'
    e-mail addresses stay as the `actor` of what they did: that is the accountability the
    trail exists for. The rewrite is itself recorded, by whom and when, with only the
    pseudonym's number and counts, so the new entry holds nothing of the old identity.
    Saved structure snapshots (working copies, not records) are scrubbed everywhere.

    :raise PrivacyError: when the person is already pseudonymised.
    """
    if is_pseudonymised(person):
        raise PrivacyError(f"{person.key} is already pseudonymised")
    number = _next_number()
    who = Identity(key=person.key, name=person.name, email=person.email,
                   new_key=f"{PSEUDONYM_KEY}{number}", pseudonym=PSEUDONYM_NAME.format(n=number))
    users = linked_users(person)
    entries = _audit_about(person, users)
    person.key, person.name, person.title, person.email = who.new_key, who.pseudonym, None, None
    ended = 0
    for seat in person.memberships:
        if seat.ended_on is None:
            seat.ended_on = today()
            ended += 1
    for user in users:
        _detach(actor, user, who)
    rewritten = _rewrite_audit(entries, who)
    snapshots = _scrub_snapshots(who)
    record(actor, "pseudonymise", "person", who.new_key, data={
        "number": number, "memberships_ended": ended, "accounts_disabled": len(users),
        "audit_entries_rewritten": rewritten, "snapshots_scrubbed": snapshots})
    db.session.commit()
    return person


def _detach(actor: User, user: User, who: Identity) -> None:
    """Disable an account, end its sessions and unlink it from the person."""
    before = {"is_enabled": user.is_enabled, "person": who.new_key}
    user.is_enabled = False
    user.person_id = None
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))
    record(actor, "update", "user", str(user.id), before=before,
           after={"is_enabled": False, "person": None})


def _rewrite_audit(entries: list[AuditEntry], who: Identity) -> int:
    """Rewrite the person's data in past audit entries; return how many changed."""
    changed = 0
    with rewrite_personal_data(db.session):
        for entry in entries:
            own = entry.entity_type == "person" and entry.entity_key == who.key
            new = {name: scrub_record(getattr(entry, name), who, is_person_entry=own
                                      and name != "data")
                   for name in ("before", "after", "data")}
            if own:
                new["entity_key"] = who.new_key
            differs = {k: v for k, v in new.items() if v != getattr(entry, k)}
            for name, value in differs.items():
                setattr(entry, name, value)
            changed += bool(differs)
    return changed


def _scrub_snapshots(who: Identity) -> int:
    """Replace the person's data in saved structure snapshots; return how many changed."""
    columns = (StructureSnapshot.document, StructureSnapshot.findings)
    texts = tuple(t for t in (who.key, who.name, who.email) if t)
    found = db.session.scalars(select(StructureSnapshot).where(
        mentions_condition(columns, search_terms(*texts))))
    count = 0
    for snapshot in found:
        document, findings = scrub_copy(snapshot.document, who), scrub_copy(snapshot.findings,
                                                                           who)
        if (document, findings) != (snapshot.document, snapshot.findings):
            snapshot.document, snapshot.findings = document, findings
            count += 1
    return count
