"""Reading a commission's decision points: which decisions took them, and which meetings had
them on the agenda.

A decision point (BP0–BP3, MS1) is taken by final decisions (`Milestone.decided_by`: BP1 by
HSN and by RS). The timeline shows, per milestone, those decisions with their forum and
meeting, and the meetings that have the milestone on their agenda with whether a decision was
taken there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import AgendaItem, Commission, Decision, Meeting, Milestone
from portal.models.commission import milestone_decision

CANDIDATES = 40


@dataclass
class AgendaMention:
    """A meeting that has the milestone on its agenda, and the decisions taken on the item."""

    meeting: Meeting
    position: int
    decisions: list[Decision] = field(default_factory=list)

    @property
    def is_decided(self) -> bool:
        """True when a final decision was taken on the item."""
        return any(d.status == "final" for d in self.decisions)


@dataclass
class DecisionPoint:
    """What the timeline shows of one milestone's decisions."""

    decided_by: list[Decision] = field(default_factory=list)
    on_agenda: list[AgendaMention] = field(default_factory=list)


def decision_points(commission: Commission) -> dict[int, DecisionPoint]:
    """Per milestone id of the commission: its deciding decisions and agenda mentions.

    Three queries whatever the number of milestones, meetings or decisions.
    """
    ids = [m.id for m in commission.milestones]
    points: dict[int, DecisionPoint] = defaultdict(DecisionPoint)
    if not ids:
        return points
    link = milestone_decision
    for milestone_id, decision in db.session.execute(
            select(link.c.milestone_id, Decision)
            .join(Decision, Decision.id == link.c.decision_id)
            .where(link.c.milestone_id.in_(ids), Decision.status == "final")
            .options(selectinload(Decision.forum), selectinload(Decision.meeting))
            .order_by(Decision.decided_on, Decision.key)):
        points[milestone_id].decided_by.append(decision)
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.milestone_id.in_(ids))
        .options(selectinload(AgendaItem.meeting).selectinload(Meeting.forum))).all()
    taken: dict[int, list[Decision]] = defaultdict(list)
    if items:
        for decision in db.session.scalars(
                select(Decision).where(Decision.agenda_item_id.in_([i.id for i in items]))
                .order_by(Decision.id)):
            taken[decision.agenda_item_id].append(decision)
    for item in sorted(items, key=lambda i: (i.meeting.meets_on, i.meeting.key, i.position)):
        if item.meeting.status == "cancelled":
            continue
        points[item.milestone_id].on_agenda.append(
            AgendaMention(item.meeting, item.position, taken[item.id]))
    return points


def candidate_decisions(milestone: Milestone) -> list[Decision]:
    """The final decisions a commission lead may link the milestone to, newest first.

    Those already linked, those taken on an agenda item about the milestone, and the latest
    decisions of the commission's owner and co-owners.
    """
    commission = milestone.commission
    forum_ids = [f.id for f in commission.co_owners]
    if commission.owner_forum_id is not None:
        forum_ids.append(commission.owner_forum_id)
    on_item = select(AgendaItem.id).where(AgendaItem.milestone_id == milestone.id)
    linked = select(milestone_decision.c.decision_id).where(
        milestone_decision.c.milestone_id == milestone.id)
    found = db.session.scalars(
        select(Decision).where(Decision.status == "final", or_(
            Decision.id.in_(linked), Decision.agenda_item_id.in_(on_item)))
        .options(selectinload(Decision.forum))).all()
    latest = db.session.scalars(
        select(Decision).where(Decision.status == "final", Decision.forum_id.in_(forum_ids))
        .options(selectinload(Decision.forum))
        .order_by(Decision.decided_on.desc(), Decision.key).limit(CANDIDATES)).all()
    chosen = {d.id: d for d in [*found, *latest]}
    return sorted(chosen.values(), key=lambda d: (d.decided_on, d.key), reverse=True)
