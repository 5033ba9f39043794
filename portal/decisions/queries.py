"""Reading decisions for the pages: a forum's log, a decision's versions, actions to link."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Action, Commission, Decision, Forum
from portal.paging import last_page_if_past
from portal.queries import like_pattern

PER_PAGE = 50
ACTION_CHOICES = 30


def _final_decisions():
    """Decisions that are records; drafts are working material of their forum."""
    return select(Decision).where(Decision.status == "final")


def decision_count(forum: Forum | None = None) -> int:
    """How many decisions there are: a corrected decision counts once, whatever its versions."""
    newer = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
    stmt = select(func.count()).select_from(Decision).where(
        Decision.status == "final", Decision.id.not_in(newer))
    if forum is not None:
        stmt = stmt.where(Decision.forum_id == forum.id)
    return db.session.scalar(stmt)


def all_decisions(page: int):
    """Final decisions of every forum, newest first, and how many there are."""
    stmt = _final_decisions()
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = last_page_if_past(page, total, PER_PAGE)
    decisions = db.session.scalars(
        stmt.options(selectinload(Decision.forum), selectinload(Decision.actions))
        .order_by(Decision.decided_on.desc(), Decision.title)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return decisions, total, page


def forum_log(forum: Forum, page: int, drafts: bool = True) -> dict:
    """A forum's final decisions newest first, which are superseded, and (when `drafts`, for
    those who may read them) its drafts."""
    stmt = _final_decisions().where(Decision.forum_id == forum.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = last_page_if_past(page, total, PER_PAGE)
    decisions = db.session.scalars(
        stmt.options(selectinload(Decision.actions))
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    shown_drafts = db.session.scalars(
        select(Decision).where(Decision.forum_id == forum.id, Decision.status == "draft")
        .options(selectinload(Decision.created_by)).order_by(Decision.decided_on.desc())
    ).all() if drafts else []
    return {"decisions": decisions, "total": total, "drafts": shown_drafts, "page": page,
            "count": decision_count(forum),
            "superseded_by": superseded_by(decisions)}


def recent_decisions(forum: Forum, limit: int = 5) -> list[Decision]:
    """The newest final decisions of a forum that no later version has replaced."""
    newer = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
    return db.session.scalars(
        _final_decisions()
        .where(Decision.forum_id == forum.id, Decision.id.not_in(newer))
        .options(selectinload(Decision.actions))  # the forum page counts each one's actions
        .order_by(Decision.decided_on.desc(), Decision.id.desc()).limit(limit)
    ).all()


def superseded_by(decisions) -> dict[int, Decision]:
    """For each of the decisions that has been corrected, the version that replaced it."""
    ids = [d.id for d in decisions]
    if not ids:
        return {}
    newer = db.session.scalars(select(Decision).where(Decision.supersedes_id.in_(ids))).all()
    return {d.supersedes_id: d for d in newer}


def versions(decision: Decision) -> list[Decision]:
    """Every version of a decision, first to latest."""
    first = decision
    while first.supersedes is not None:
        first = first.supersedes
    chain = [first]
    while (following := db.session.scalar(
        select(Decision).where(Decision.supersedes_id == chain[-1].id)
        .options(selectinload(Decision.created_by))
    )) is not None:
        chain.append(following)
    return chain


def action_choices(forum: Forum, term: str, chosen: list[str]) -> dict:
    """Actions to link to a decision: the chosen ones, then matches of the search or suggestions.

    Without a search term the suggestions are the actions the forum owns and those of the
    commissions it owns, which are what its decisions usually concern.
    """
    selected = db.session.scalars(
        select(Action).where(Action.key.in_(chosen)).order_by(Action.title)
    ).all() if chosen else []
    stmt = select(Action).options(selectinload(Action.commission))
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(func.lower(Action.title).like(pattern, escape="\\"),
                              func.lower(Action.key).like(pattern, escape="\\")))
    else:
        owned = select(Commission.id).where(Commission.owner_forum_id == forum.id)
        stmt = stmt.where(or_(Action.owner_forum_id == forum.id, Action.commission_id.in_(owned)))
    if chosen:
        stmt = stmt.where(Action.key.not_in(chosen))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    matches = db.session.scalars(
        stmt.order_by(Action.due_on.desc().nulls_last(), Action.title).limit(ACTION_CHOICES)
    ).all()
    return {"selected": selected, "matches": matches, "total": total, "term": term}
