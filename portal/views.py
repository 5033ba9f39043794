"""Helpers shared by the views: htmx-aware rendering and lookups by key."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal.entries import EntryError
from portal.extensions import db
from portal.forms import apply_errors


def wants_fragment() -> bool:
    """True when htmx asks for a part of the page rather than the page.

    The one place that tells (through htmx-flask's `request.htmx`). After Back, when htmx's
    history cache missed, it asks again with HX-Request *and* HX-History-Restore-Request and
    puts the answer in place of the whole body: that request wants the full page.
    """
    htmx = request.htmx
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    """Mark a response that differs for htmx, so no cache serves one for the other."""
    response.vary.update(("HX-Request", "HX-History-Restore-Request"))
    return response


def render(template: str, fragment: str | None = None, **context):
    """Render the full page, or only the fragment when htmx asks for it."""
    name = fragment if fragment and wants_fragment() else template
    return vary_on_htmx(make_response(render_template(name, **context)))


def entry_page(form, save, done, heading: str, back: str, **context):
    """Show a register entry form; on a valid post save it and go to the saved entity (303).

    `save(entry)` returns the saved object and `done(obj)` its page; the entry's errors are
    shown next to the fields (422).
    """
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            obj = save(form.entry())
        except EntryError as exc:
            loose = apply_errors(form, exc.errors)
        else:
            flash(_("The changes were saved."), "success")
            return redirect(done(obj), 303)
    status = 422 if form.is_submitted() else 200
    return render(
        "directory/edit.html", "directory/_edit_form.html", form=form, heading=heading,
        back=back, loose_errors=loose, has_errors=status == 422, **context,
    ), status


def get_by_key(model, key: str, *options):
    """Return the entity with this exchange key.

    :raise 404: when there is none.
    """
    stmt = select(model).where(model.key == key)
    if options:
        stmt = stmt.options(*options)
    obj = db.session.scalar(stmt)
    if obj is None:
        abort(404)
    return obj


# No list has this many pages; a larger number would overflow the database's OFFSET.
MAX_PAGE = 100_000
# The first pages of a list that are kept rendered (portal.derived); later ones are rendered
# afresh, so that page numbers typed into the address cannot fill the cache.
CACHED_PAGES = 50


def page_number() -> int:
    """The requested page of a list, 1 when absent or nonsense, at most MAX_PAGE."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1")[:20])))
    except ValueError:
        return 1


def plain_query(**checked: str | None) -> bool:
    """True when the query string holds only these arguments, once each, with exactly these
    checked values (None or "": absent).

    Templates read the query string itself (a pager's links, the map's data address): a page
    rendered from any other query string may show what no check saw, so it is not kept.
    """
    wanted = {name: value for name, value in checked.items() if value}
    args = request.args
    return set(args) == set(wanted) and all(args.getlist(name) == [value]
                                            for name, value in wanted.items())


def search_term() -> str:
    """The list filter text the user typed, trimmed and bounded."""
    return request.args.get("q", "").strip()[:200]


def table_change(form, change, row: str | None, *, blank_form, page, done: str, target: str):
    """Apply a change to one row of a table (a seat, a value) and answer as its page does.

    `change` is the service call; `page(form, **context)` renders the table's page (or its
    panel for htmx). The add form shows its errors at its fields; a row's form has no room for
    them, so they are listed above the table, named by `row`. A refused form answers 422,
    which portal.js lets htmx swap in place.
    """
    from portal.entries import EntryError

    errors: dict[str, str] = {}
    if form.validate():
        try:
            change()
        except EntryError as exc:
            errors = exc.errors
        else:
            if not wants_fragment():
                flash(done, "success")
                return redirect(target, 303)
            return page(blank_form(), message=done)
    elif row is not None:
        errors = {name: " ".join(messages) for name, messages in form.errors.items()}
    if row is None:
        from portal.forms import apply_errors

        loose, add_form = apply_errors(form, errors), form
    else:
        loose, add_form = [f"{row}: {m}" for m in errors.values()], blank_form()
    return page(add_form, loose_errors=loose), 422
