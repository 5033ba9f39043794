"""Logging decisions: drafts, final records, corrections as new versions, and new actions.

A final decision is a record. It is never changed or deleted: a correction is a new version
that says who corrected it, when and why, and points to the version it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import (
    PermissionDenied,
    can_correct_decision,
    can_edit_decision,
    can_link_commission_action,
    can_log_decision,
)
from portal.concurrency import Conflict, lock_row
from portal.entries import EntryError, entry_errors, free_key, unique_key
from portal.exchange.schema import KEY_LENGTH, LONG_TEXT
from portal.extensions import db
from portal.forms import empty_to_none
from portal.models import (
    Action,
    Area,
    Decision,
    Document,
    Forum,
    Meeting,
    Person,
    ProposedAction,
)
from portal.models.decision import FinalDecisionError

if TYPE_CHECKING:
    from portal.models import User

__all__ = [
    "Conflict",
    "DecisionData",
    "FinalDecisionError",
    "NewAction",
    "correct_decision",
    "discard_draft",
    "finalise_proposals",
    "log_decision",
    "refuse_corrected",
    "update_draft",
]


@dataclass
class NewAction:
    """An action a decision creates: what is to be done, by whom, by when, in which areas."""

    title: str | None = None
    owner_person: str | None = None
    owner_forum: str | None = None
    due: date | None = None
    areas: list[str] = field(default_factory=list)

    def is_blank(self) -> bool:
        """An untouched row of the form; the owner forum does not count, the form fills it in."""
        return not (self.title or self.owner_person or self.due or self.areas)


@dataclass
class DecisionData:
    """What the user says about a decision; actions and documents are keys of existing ones."""

    title: str | None = None
    date: date | None = None
    text: str | None = None
    actions: list[str] = field(default_factory=list)
    # The documents it adopts or rests on (its beslutsunderlag), e.g. the report it approves.
    documents: list[str] = field(default_factory=list)
    new_actions: list[NewAction] = field(default_factory=list)
    # A decision taken in a meeting: the meeting's key and the agenda item (portal/meetings).
    meeting: str | None = None
    agenda_item_id: int | None = None


def log_decision(actor: User, forum: Forum, data: DecisionData, final: bool = True) -> Decision:
    """Log a forum's decision, as a draft or as a final record, with the actions it creates.

    A draft creates no actions: it keeps them as proposals until it becomes final.

    :raise PermissionDenied: unless the actor may log the forum's decisions.
    :raise EntryError: naming each field that is wrong; nothing is saved then.
    """
    _require(can_log_decision(actor, forum))
    data = _cleaned(data)
    key = unique_key(Decision, f"{forum.key}-{data.date or ''}-{data.title or ''}")
    _check(forum, key, data, actor)
    decision = Decision(
        key=key, forum=forum, title=data.title, decided_on=data.date, text=data.text,
        status="final" if final else "draft", version_no=1, created_by=actor,
        documents=_by_keys(Document, data.documents),
        actions=_actions(data.actions) + (
            _create_actions(actor, key, data.new_actions) if final else []),
    )
    if not final:
        _propose(decision, data.new_actions)
    if data.meeting:
        decision.meeting = _by_keys(Meeting, [data.meeting])[0]
        decision.agenda_item = next(
            (i for i in decision.meeting.agenda if i.id == data.agenda_item_id), None)
    db.session.add(decision)
    db.session.flush()
    record(actor, "create", "decision", key, after=snapshot(decision), data=_extra(decision))
    db.session.commit()
    return decision


def update_draft(actor: User, decision: Decision, data: DecisionData,
                 final: bool = False) -> Decision:
    """Change a draft, and make it final when asked; a final decision is never changed.

    :raise FinalDecisionError: when the decision is final.
    :raise PermissionDenied: unless the actor may log the forum's decisions.
    :raise EntryError: naming each field that is wrong.
    """
    _refuse_final(decision)
    _require(can_edit_decision(actor, decision))
    if final and decision.meeting_id is not None:  # final when the meeting's minutes are approved
        raise EntryError({"meeting": str(_l(
            "A decision taken in a meeting becomes final when the minutes are approved."))})
    data = _cleaned(data)
    data.meeting = decision.meeting.key if decision.meeting else None
    _check(decision.forum, decision.key, data, actor, stored=list(decision.actions))
    _claim_draft(decision)
    before = snapshot(decision)
    # The form shows the draft's proposals as its new-action rows: they are what stays proposed,
    # or what the final decision creates.
    created = _create_actions(actor, decision.key, data.new_actions) if final else []
    decision.title, decision.decided_on, decision.text = data.title, data.date, data.text
    decision.actions = _actions(data.actions) + created
    decision.documents = _by_keys(Document, data.documents)
    _propose(decision, [] if final else data.new_actions)
    db.session.flush()  # the links first: once final, the database keeps them as they are
    if final:
        decision.status = "final"
        db.session.flush()
    record(actor, "finalise" if final else "update", "decision", decision.key, before=before,
           after=snapshot(decision), data=_extra(decision))
    db.session.commit()
    return decision


def discard_draft(actor: User, decision: Decision) -> None:
    """Delete a draft that will not be taken; a final decision is never deleted.

    The actions it proposed go with it. Actions that drafts created before proposals existed
    are kept: they have an owner and may be linked elsewhere.

    :raise FinalDecisionError: when the decision is final.
    :raise PermissionDenied: unless the actor may log the forum's decisions.
    """
    _refuse_final(decision)
    _require(can_edit_decision(actor, decision))
    _claim_draft(decision)
    before, extra = snapshot(decision), _extra(decision)
    db.session.delete(decision)
    record(actor, "delete", "decision", decision.key, before=before, data=extra)
    db.session.commit()


def correct_decision(actor: User, decision: Decision, data: DecisionData,
                     reason: str | None) -> Decision:
    """Correct a final decision with a new version; the corrected one stays as it was.

    :raise PermissionDenied: unless the actor may log the forum's decisions.
    :raise EntryError: for a draft, a version already corrected, a missing reason or a
        wrong field.
    """
    if decision.status == "draft":
        raise EntryError({"version": str(_l("A draft is edited, not corrected."))})
    _require(can_correct_decision(actor, decision))
    data, reason = _cleaned(data), empty_to_none(reason)
    lock_row(Decision, decision.id)  # the check below and the new version: one writer at a time
    refuse_corrected(decision)
    number = decision.version_no + 1
    key = _version_key(decision, number)
    errors = _errors(decision.forum, key, data, actor)
    errors.update(action_scope_errors(actor, decision.forum, data.actions,
                                      list(decision.actions)))
    if reason is None:
        errors["reason"] = str(_l("Say why the decision is corrected."))
    elif len(reason) > LONG_TEXT:
        errors["reason"] = str(_l("Too long: at most %(limit)s characters.", limit=LONG_TEXT))
    if errors:
        db.session.rollback()  # let go of the lock before the form is shown again
        raise EntryError(errors)
    version = Decision(
        key=key, forum=decision.forum, title=data.title, decided_on=data.date, text=data.text,
        status="final", version_no=number, supersedes=decision, corrected_reason=reason,
        created_by=actor, documents=_by_keys(Document, data.documents),
        actions=_actions(data.actions) + _create_actions(actor, key, data.new_actions),
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:  # `supersedes` is unique: another correction of it came first
        db.session.rollback()
        refuse_corrected(decision)
        raise
    record(actor, "correct", "decision", key, before=snapshot(decision),
           after=snapshot(version), data=_extra(version))
    db.session.commit()
    return version


# --- Helpers ------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    """Refuse the change when the permission module says no."""
    if not allowed:
        raise PermissionDenied()


def _refuse_final(decision: Decision) -> None:
    """A final decision is a record: refuse before anything is touched."""
    if decision.status != "draft":
        raise FinalDecisionError(
            f"decision {decision.key!r} is final: correct it with a new version instead"
        )


def _claim_draft(decision: Decision) -> None:
    """Take the decision for this write only if it is still a draft: one conditional UPDATE.

    The statement waits for any other writer of the row and then sees what it committed, so a
    draft made final (or discarded) in the meantime is refused here, with 409, instead of being
    written over. What was loaded before is read again inside the lock.
    """
    table, decision_id = Decision.__table__, decision.id
    claimed = db.session.execute(
        update(table).where(table.c.id == decision_id, table.c.status == "draft")
        .values(status="draft")
    ).rowcount
    if claimed != 1:
        db.session.rollback()  # the loaded decision may be gone: only its id is used now
        current = db.session.get(Decision, decision_id)
        if current is None:
            raise Conflict(_("The draft was discarded in the meantime."))
        raise Conflict(
            _("The decision was made final in the meantime, as “%(title)s”. A final decision "
              "is corrected with a new version.", title=current.title),
            link=("decisions.detail", {"key": current.key}, current.key))
    db.session.expire(decision)


def refuse_corrected(decision: Decision) -> None:
    """Refuse to correct a version that a newer version already corrects (409, names it)."""
    newer = db.session.scalar(select(Decision).where(Decision.supersedes_id == decision.id))
    if newer is not None:
        db.session.rollback()
        raise Conflict(
            _("This version has already been corrected by %(key)s. Correct the latest version.",
              key=newer.key),
            link=("decisions.detail", {"key": newer.key}, newer.key))


def _cleaned(data: DecisionData) -> DecisionData:
    """The data with text trimmed, empty text as None and untouched new-action rows dropped."""
    new_actions = [
        NewAction(title=empty_to_none(a.title), owner_person=empty_to_none(a.owner_person),
                  owner_forum=empty_to_none(a.owner_forum), due=a.due, areas=list(a.areas))
        for a in data.new_actions
    ]
    return DecisionData(
        title=empty_to_none(data.title), date=data.date, text=empty_to_none(data.text),
        actions=list(dict.fromkeys(k for k in data.actions if k)),
        documents=list(dict.fromkeys(k for k in data.documents if k)),
        new_actions=[a for a in new_actions if not a.is_blank()],
        meeting=data.meeting, agenda_item_id=data.agenda_item_id,
    )


def _check(forum: Forum, key: str, data: DecisionData, actor: User,
           stored: Iterable[Action] = ()) -> None:
    """Refuse the data with every problem found, by field."""
    errors = _errors(forum, key, data, actor)
    errors.update(action_scope_errors(actor, forum, data.actions, stored))
    if errors:
        raise EntryError(errors)


def action_scope_errors(actor: User, forum: Forum, keys: list[str],
                        stored: Iterable[Action] = ()) -> dict[str, str]:
    """Linking an action of a commission needs the forum to own or co-own the commission, or
    the decider to lead it (admins any); links already stored (a draft's, or those of the
    version being corrected) stay."""
    kept = {a.key for a in stored}
    refused = [a for a in _actions([k for k in keys if k not in kept])
               if not can_link_commission_action(actor, forum, a.commission)]
    if not refused:
        return {}
    return {"actions": str(_l(
        "%(actions)s: a decision links actions only of commissions its forum owns or "
        "co-owns, or that you lead.", actions=", ".join(a.key for a in refused)))}


def _errors(forum: Forum, key: str, data: DecisionData, actor: User) -> dict[str, str]:
    """The decision and each new action checked as the import would check them.

    A new action may be given to any forum or person: an owner outside the deciding forum is
    told (notification `action_assigned`) and may decline it (`decisions.assignments`).
    """
    errors = entry_errors("decisions", {
        "key": key, "title": data.title, "forum": forum.key, "date": data.date,
        "text": data.text, "actions": data.actions, "meeting": data.meeting,
        "documents": data.documents,
    })
    for index, new in enumerate(data.new_actions):
        prefix = f"new_actions-{index}-"
        errors.update(entry_errors("actions", {
            "key": "new", "title": new.title, "owner_person": new.owner_person,
            "owner_forum": new.owner_forum, "due": new.due, "areas": new.areas,
        }, prefix=prefix))
        if not (new.owner_person or new.owner_forum):
            errors.setdefault(prefix + "owner_person", str(_l(
                "Choose who owns the action: a person, a forum or both.")))
    return errors


def _by_keys(model, keys: list[str]) -> list[Any]:
    """The entities with these keys, in the order given."""
    if not keys:
        return []
    found = {o.key: o for o in db.session.scalars(select(model).where(model.key.in_(keys)))}
    return [found[k] for k in keys if k in found]


def _actions(keys: list[str]) -> list[Action]:
    """The existing actions a decision links to."""
    return _by_keys(Action, keys)


def _create_actions(actor: User, decision_key: str, items: list[NewAction]) -> list[Action]:
    """Create the actions a decision gives rise to, each with its own audit entry."""
    created = []
    for item in items:
        action = Action(
            key=unique_key(Action, item.title), title=item.title,
            owner_person=_by_keys(Person, [item.owner_person])[0] if item.owner_person else None,
            owner_forum=_by_keys(Forum, [item.owner_forum])[0] if item.owner_forum else None,
            due_on=item.due, areas=_by_keys(Area, item.areas), status="planned", progress=0,
        )
        db.session.add(action)
        db.session.flush()  # so the next new action's key sees this one
        record(actor, "create", "action", action.key, after=snapshot(action),
               data={"decision": decision_key})
        created.append(action)
    return created


def _version_key(decision: Decision, number: int) -> str:
    """`<first key>.v<number>`, cut to fit a key, made unique if an import took it."""
    first = decision
    while first.supersedes is not None:
        first = first.supersedes
    suffix = f".v{number}"
    return free_key(Decision, first.key[: KEY_LENGTH - len(suffix)] + suffix)


def _extra(decision: Decision) -> dict[str, Any]:
    """What the audit trail keeps of a decision beyond its exchange entry."""
    return {
        "status": decision.status,
        "version_no": decision.version_no,
        "supersedes": decision.supersedes.key if decision.supersedes else None,
        "corrected_reason": decision.corrected_reason,
        **_proposals_extra(decision),
    }


# --- Proposed actions of drafts ---------------------------------------------------------------


def _propose(decision: Decision, items: list[NewAction]) -> None:
    """Keep the actions a draft proposes with the draft, in place of those it proposed before."""
    decision.proposed_actions = [
        ProposedAction(
            position=position, title=item.title,
            owner_person=_by_keys(Person, [item.owner_person])[0] if item.owner_person else None,
            owner_forum=_by_keys(Forum, [item.owner_forum])[0] if item.owner_forum else None,
            due_on=item.due, areas=_by_keys(Area, item.areas))
        for position, item in enumerate(items, start=1)
    ]


def proposals_as_new_actions(decision: Decision) -> list[NewAction]:
    """The draft's proposed actions as the form's new-action rows."""
    return [
        NewAction(title=p.title, owner_person=p.owner_person.key if p.owner_person else None,
                  owner_forum=p.owner_forum.key if p.owner_forum else None, due=p.due_on,
                  areas=[a.key for a in p.areas])
        for p in decision.proposed_actions
    ]


def finalise_proposals(actor: User, decision: Decision) -> list[Action]:
    """Make a draft's proposed actions real actions linked to it, just before it becomes final.

    The caller holds the draft (its row claimed or its meeting locked), sets it final after
    this and commits: the actions and the final record are one transaction.
    """
    created = _create_actions(actor, decision.key, proposals_as_new_actions(decision))
    if created:
        decision.actions = [*decision.actions, *created]
    decision.proposed_actions = []
    db.session.flush()  # the links while it is a draft: once final, they are kept as they are
    return created


def _proposals_extra(decision: Decision) -> dict[str, Any]:
    """What the audit trail keeps of a draft's proposed actions (nothing for a final one)."""
    if decision.status != "draft":
        return {}
    return {"proposed_actions": [
        {"title": p.title, "owner_person": p.owner_person.key if p.owner_person else None,
         "owner_forum": p.owner_forum.key if p.owner_forum else None,
         "due": p.due_on.isoformat() if p.due_on else None,
         "areas": [a.key for a in p.areas]}
        for p in decision.proposed_actions]}
