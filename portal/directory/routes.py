"""Pages of the register: organisations, people, forums, focus areas.

The pages that change the register are in `routes_edit`, on the same blueprint; importing this
module adds them.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.permissions import can_edit_register, can_log_decision, can_manage_forum
from portal.dates import today
from portal.directory import (  # noqa: F401 - importing the editing views adds them to bp
    bp,
    queries,
    routes_edit,
)
from portal.extensions import derived
from portal.models import Area, Forum, Organisation, Person
from portal.models.forum import FORUM_LEVELS
from portal.views import (
    CACHED_PAGES,
    get_by_key,
    page_number,
    plain_query,
    render,
    search_term,
    wants_fragment,
)


@bp.get("/forum")
def forums():
    """List the forums, filtered by name, area and level.

    The list unfiltered by text or area is the same for all who may (or may not) add forums:
    rendered once per version of the map, language, level and page (portal.derived).
    """
    term, page = search_term(), page_number()
    area = request.args.get("area") or None
    level = request.args.get("level") if request.args.get("level") in FORUM_LEVELS else None

    def context() -> dict:
        rows, total, shown = queries.forums_page(term, page, area=area, level=level)
        return {"rows": rows, "total": total, "page": shown, "per_page": queries.PER_PAGE,
                "q": term, "area": area, "level": level, "areas": queries.areas_overview(),
                "levels": FORUM_LEVELS}

    if (term or area or wants_fragment() or page > CACHED_PAGES
            or not plain_query(level=level, page=str(page) if page > 1 else None)):
        return render("directory/forums.html", "directory/_forum_rows.html", **context())
    content = derived.html("forum-list", level, page, can_edit_register(current_user),
                           render=lambda: render_template("directory/_forums.html",
                                                          **context()))
    return render("directory/forums.html", content=content)


@bp.get("/forum/<key>")
def forum(key: str):
    """Show one forum: mandate, areas, members, reporting line, decisions, actions.

    Its content is the same for all who may do the same with the forum: rendered once per
    version of the map, day, language and those permissions (portal.derived).
    """
    obj, day = get_by_key(Forum, key), today()
    content = derived.html(
        "forum-page", obj.key, day, can_log_decision(current_user, obj),
        can_manage_forum(current_user, obj), render=lambda: render_template(
            "directory/_forum.html", forum=obj, today=day, **queries.forum_detail(obj)))
    return render_template("directory/forum.html", forum=obj, content=content)


@bp.get("/organisationer")
def organisations():
    """List the organisations."""
    term, page = search_term(), page_number()
    rows, total, page = queries.organisations_page(term, page)
    return render(
        "directory/organisations.html", "directory/_organisation_rows.html",
        rows=rows, total=total, page=page, per_page=queries.PER_PAGE, q=term,
    )


@bp.get("/organisationer/<key>")
def organisation(key: str):
    """Show one organisation with its units, people and forums."""
    obj = get_by_key(Organisation, key)
    return render_template(
        "directory/organisation.html", org=obj, **queries.organisation_detail(obj)
    )


@bp.get("/personer")
def people():
    """List the people."""
    term, page = search_term(), page_number()
    rows, total, page = queries.people_page(term, page)
    return render(
        "directory/people.html", "directory/_person_rows.html",
        rows=rows, total=total, page=page, per_page=queries.PER_PAGE, q=term,
    )


@bp.get("/personer/<key>")
def person(key: str):
    """Show one person with their forums, commissions and actions."""
    obj = get_by_key(Person, key, selectinload(Person.organisation))
    return render_template("directory/person.html", person=obj, **queries.person_detail(obj))


@bp.get("/fokusomraden")
def areas():
    """List the focus areas with how many forums cover each."""
    return render_template("directory/areas.html", rows=queries.areas_overview())


@bp.get("/fokusomraden/<key>")
def area(key: str):
    """Show one focus area and everything that works in it."""
    obj = get_by_key(Area, key)
    return render_template("directory/area.html", area=obj, **queries.area_detail(obj))

