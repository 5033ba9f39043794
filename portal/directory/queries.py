"""Reading the register for the pages."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.decisions.queries import recent_decisions
from portal.extensions import db
from portal.models import (
    Action,
    Area,
    Commission,
    Forum,
    ForumMembership,
    Indicator,
    Organisation,
    Person,
    Recommendation,
)
from portal.models.commission import commission_member
from portal.models.forum import forum_area
from portal.paging import page_of
from portal.queries import like_pattern

PER_PAGE = 50


def forums_page(term: str, page: int, area: str | None = None, level: str | None = None):
    """Forums matching a filter, with member counts: a page of rows, the total, the page."""
    counts = (
        select(ForumMembership.forum_id, func.count().label("n"))
        .where(ForumMembership.ended_on.is_(None))
        .group_by(ForumMembership.forum_id)
        .subquery()
    )
    stmt = (
        select(Forum, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.forum_id == Forum.id)
        .options(selectinload(Forum.areas), selectinload(Forum.reports_to))
        .order_by(Forum.name)
    )
    if term:
        stmt = stmt.where(func.lower(Forum.name).like(like_pattern(term), escape="\\"))
    if area:
        stmt = stmt.where(Forum.areas.any(Area.key == area))
    if level:
        stmt = stmt.where(Forum.level == level)
    return page_of(stmt, page, PER_PAGE)


def forum_detail(forum: Forum) -> dict:
    """Everything the forum page shows besides the forum itself."""
    seats = db.session.scalars(
        select(ForumMembership)
        .where(ForumMembership.forum_id == forum.id)
        .join(ForumMembership.person)
        .options(selectinload(ForumMembership.person).selectinload(Person.organisation),
                 selectinload(ForumMembership.on_behalf_of))
        .order_by(Person.name)
    ).all()
    return {
        "members": [m for m in seats if m.ended_on is None],
        "former_members": sorted((m for m in seats if m.ended_on is not None),
                                 key=lambda m: m.ended_on, reverse=True),
        "reporting": db.session.scalars(
            select(Forum).where(Forum.reports_to_id == forum.id).order_by(Forum.name)
        ).all(),
        "decisions": recent_decisions(forum),
        "actions": db.session.scalars(
            select(Action).where(Action.owner_forum_id == forum.id)
            .options(selectinload(Action.commission), selectinload(Action.owner_person))
            .order_by(Action.due_on.nulls_last(), Action.title)
        ).all(),
        "commissions": db.session.scalars(
            select(Commission).where(Commission.owner_forum_id == forum.id)
            .order_by(Commission.starts_on.desc())
        ).all(),
    }


def organisations_page(term: str, page: int):
    """Organisations matching a filter, with the number of people: rows, total, page."""
    counts = (
        select(Person.organisation_id, func.count().label("n"))
        .group_by(Person.organisation_id)
        .subquery()
    )
    stmt = (
        select(Organisation, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .options(selectinload(Organisation.parent))
        .order_by(Organisation.name)
    )
    if term:
        stmt = stmt.where(func.lower(Organisation.name).like(like_pattern(term), escape="\\"))
    return page_of(stmt, page, PER_PAGE)


def organisation_detail(org: Organisation) -> dict:
    """Sub-units, people and the forums its people sit in."""
    forums = db.session.scalars(
        select(Forum)
        .join(ForumMembership, ForumMembership.forum_id == Forum.id)
        .join(Person, Person.id == ForumMembership.person_id)
        .where(Person.organisation_id == org.id, ForumMembership.ended_on.is_(None))
        .distinct()
        .order_by(Forum.name)
    ).all()
    return {
        "children": db.session.scalars(
            select(Organisation).where(Organisation.parent_id == org.id)
            .order_by(Organisation.name)
        ).all(),
        "people": db.session.scalars(
            select(Person).where(Person.organisation_id == org.id).order_by(Person.name)
        ).all(),
        "forums": forums,
        "represented_in": db.session.scalars(
            select(ForumMembership)
            .where(ForumMembership.on_behalf_of.any(Organisation.id == org.id),
                   ForumMembership.ended_on.is_(None))
            .join(ForumMembership.forum)
            .options(selectinload(ForumMembership.forum),
                     selectinload(ForumMembership.person).selectinload(Person.organisation),
                     selectinload(ForumMembership.on_behalf_of))
            .order_by(Forum.name)
        ).all(),
        "served_by": db.session.scalars(
            select(Forum).where(Forum.scope.any(Organisation.id == org.id)).order_by(Forum.name)
        ).all(),
    }


def people_page(term: str, page: int):
    """People matching a filter (name or title): a page of rows, the total, the page."""
    counts = (
        select(ForumMembership.person_id, func.count().label("n"))
        .where(ForumMembership.ended_on.is_(None))
        .group_by(ForumMembership.person_id)
        .subquery()
    )
    stmt = (
        select(Person, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.person_id == Person.id)
        .options(selectinload(Person.organisation))
        .order_by(Person.name)
    )
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(
            func.lower(Person.name).like(pattern, escape="\\")
            | func.lower(func.coalesce(Person.title, "")).like(pattern, escape="\\")
        )
    return page_of(stmt, page, PER_PAGE)


def person_detail(person: Person) -> dict:
    """A person's seats, commissions and the actions they own."""
    return {
        "memberships": db.session.scalars(
            select(ForumMembership).where(ForumMembership.person_id == person.id)
            .join(ForumMembership.forum).options(selectinload(ForumMembership.forum))
            .order_by(Forum.name)
        ).all(),
        "leads": db.session.scalars(
            select(Commission).where(Commission.lead_id == person.id)
            .order_by(Commission.starts_on.desc())
        ).all(),
        "commissions": db.session.scalars(
            select(Commission)
            .join(commission_member, commission_member.c.commission_id == Commission.id)
            .where(commission_member.c.person_id == person.id)
            .order_by(Commission.starts_on.desc())
        ).all(),
        "actions": db.session.scalars(
            select(Action).where(Action.owner_person_id == person.id).order_by(Action.due_on)
        ).all(),
    }


def areas_overview():
    """Every focus area with its number of forums."""
    counts = (
        select(forum_area.c.area_id, func.count().label("n"))
        .group_by(forum_area.c.area_id)
        .subquery()
    )
    return db.session.execute(
        select(Area, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.area_id == Area.id)
        .order_by(Area.name)
    ).all()


def area_detail(area: Area) -> dict:
    """Forums, recommendations, actions and indicators of one focus area."""
    return {
        "forums": db.session.scalars(
            select(Forum).where(Forum.areas.any(Area.id == area.id)).order_by(Forum.name)
        ).all(),
        "recommendations": db.session.scalars(
            select(Recommendation).where(Recommendation.areas.any(Area.id == area.id))
        ).all(),
        "actions": db.session.scalars(
            select(Action).where(Action.areas.any(Area.id == area.id)).order_by(Action.due_on)
        ).all(),
        "indicators": db.session.scalars(
            select(Indicator).where(Indicator.areas.any(Area.id == area.id))
            .order_by(Indicator.name)
        ).all(),
    }


def person_choices() -> list[tuple[str, str]]:
    """Every person as (key, "name, organisation") for a select list."""
    return [
        (p.key, f"{p.name}, {p.organisation.name}")
        for p in db.session.scalars(
            select(Person).options(selectinload(Person.organisation)).order_by(Person.name)
        )
    ]


def forum_choices(include_closed: bool = False) -> list[tuple[str, str]]:
    """Forums as (key, name) for a select list, open ones unless asked otherwise."""
    stmt = select(Forum.key, Forum.name).order_by(Forum.name)
    if not include_closed:
        stmt = stmt.where(Forum.closed_on.is_(None))
    return [(key, name) for key, name in db.session.execute(stmt)]


def organisation_choices() -> list[tuple[str, str]]:
    """Organisations as (key, name) for a select list."""
    return [(key, name) for key, name in db.session.execute(
        select(Organisation.key, Organisation.name).order_by(Organisation.name))]


def principal_choices() -> list[tuple[str, str]]:
    """Principals (region, municipalities) as (key, name): whom a member may represent."""
    return [(key, name) for key, name in db.session.execute(
        select(Organisation.key, Organisation.name).where(Organisation.is_principal)
        .order_by(Organisation.name))]


def area_choices() -> list[tuple[str, str]]:
    """Focus areas as (key, name) for checkboxes."""
    return [(key, name) for key, name in db.session.execute(
        select(Area.key, Area.name).order_by(Area.name))]
