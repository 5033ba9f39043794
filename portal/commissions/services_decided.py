"""Linking a milestone to the final decisions that took it (`decided_by`).

The commission lead (and admins) link a decision point to its decisions, and may then mark
it reached on the latest decision's date. Audited like every change of a milestone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit.snapshot import snapshot
from portal.commissions.services import check_version, commit_change, require_edit
from portal.entries import EntryError
from portal.extensions import db
from portal.models import Decision, Milestone

if TYPE_CHECKING:
    from portal.models import User


def set_decided_by(actor: User | None, milestone: Milestone, version: int | str | None,
                   keys: list[str], reach: bool = False) -> Milestone:
    """Link the milestone to these final decisions; with `reach`, reached on the latest date.

    :raise PermissionDenied: unless the actor may change the commission.
    :raise StaleEdit: when the milestone changed since the form was opened.
    :raise EntryError: for an unknown or draft decision, or `reach` without a decision.
    """
    require_edit(actor, milestone)
    check_version(milestone, version)
    keys = list(dict.fromkeys(k for k in keys if k))
    found = {d.key: d for d in db.session.scalars(select(Decision).where(Decision.key.in_(keys)))}
    errors = {}
    unknown = [k for k in keys if k not in found]
    drafts = [k for k in keys if k in found and found[k].status != "final"]
    if unknown:
        errors["decisions"] = _l("No decision with the key %(keys)s.", keys=", ".join(unknown))
    elif drafts:
        errors["decisions"] = _l("Only final decisions take a decision point; %(keys)s is a "
                                 "draft.", keys=", ".join(drafts))
    elif reach and not keys:
        errors["reach"] = _l("Choose the decisions first: the milestone is reached on the "
                             "latest one's date.")
    if errors:
        raise EntryError(errors)
    before = snapshot(milestone)
    decisions = [found[k] for k in keys]
    milestone.decided_by = sorted(decisions, key=lambda d: (d.decided_on, d.key))
    if reach:
        milestone.done_on = max(d.decided_on for d in decisions)
    commit_change(actor, milestone, "update", before)
    return milestone
