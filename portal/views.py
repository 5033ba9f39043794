"""Helpers shared by the views: htmx-aware rendering, answering forms, lookups by key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.snapshot import snapshot
from portal.concurrency import StaleEdit, fingerprint
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


@dataclass
class Answer:
    """How a submitted form went: `done` with the service's result, or refused with a status
    (200 shown, 422 errors at the fields, 409 someone else saved first) and what to show.

    `errors` are a service's refusal by field name (None when the form itself refused), `loose`
    those of them that fit no field.
    """

    form: Any
    status: int = 200
    done: bool = False
    result: Any = None
    conflict: list | None = None
    errors: dict[str, Any] | None = None
    loose: list[str] | None = None


# A refusal of a service other than EntryError: (its type, its messages by field name).
Refusal = tuple[type[Exception], Callable[[Any], dict[str, Any]]]


def submit(form, change: Callable[[], Any], *,
           stale: Callable[[Any], tuple[Any, list]] | None = None,
           refusal: Refusal | None = None, shown: int = 200) -> Answer:
    """Answer a form the one way: validate, call the service, and tell the view how it went.

    A form not sent yet is shown (`shown`, 200). A refusal (`EntryError`, or the service's own
    `refusal` type turned into messages) keeps the form with its errors at its fields (422).
    A stale edit gives `stale(current)`: the form filled with what was saved and the
    differences in words (409).
    """
    if request.method != "POST":
        return Answer(form, shown)
    if not form.validate_on_submit():
        return Answer(form, 422)
    refused_type = refusal[0] if refusal else ()
    try:
        result = change()
    except StaleEdit as edit:
        if stale is None:
            raise
        reopened, differences = stale(edit.current)
        return Answer(reopened, 409, conflict=differences)
    except EntryError as error:
        return _refused(form, error.errors)
    except refused_type as error:
        db.session.rollback()
        return _refused(form, refusal[1](error))
    return Answer(form, done=True, result=result)


def press(change: Callable[[], Any], done: str | Callable[[Any], str | None] | None,
          target: str, *, then: str | None = None):
    """Answer a button: a form with little but its CSRF token (the app checks the token).

    Do the change and go back to `target` (303; after a success to `then` when given) with
    `done` (a message, or one made from the service's result) or with the service's refusal,
    each message in its own notice.
    """
    try:
        result = change()
    except EntryError as error:
        db.session.rollback()
        flash_refusal(error)
        return redirect(target, 303)
    message = done(result) if callable(done) else done
    if message:
        flash(message, "success")
    return redirect(then or target, 303)


def flash_refusal(error: EntryError) -> None:
    """Show a service's refusal on the next page, each message in its own notice."""
    for message in error.errors.values():
        flash(message, "error")


def _refused(form, errors: dict[str, Any]) -> Answer:
    """The form with a service's refusal next to the fields it names (prefixed forms too)."""
    names = {name: form[name].name for name in errors if name in form}
    loose = apply_errors(form, {names.get(k, k): v for k, v in errors.items()})
    form.form_errors.extend(loose)
    return Answer(form, 422, errors=dict(errors), loose=loose)


def entry_page(form, save, done, heading: str, back: str, **context):
    """Show a register entry form; on a valid post save it and go to the saved entity (303).

    `save(entry)` returns the saved object and `done(obj)` its page; the entry's errors are
    shown next to the fields (422).
    """
    answer = submit(form, lambda: save(form.entry()))
    if answer.done:
        flash(_("The changes were saved."), "success")
        return redirect(done(answer.result), 303)
    return render(
        "directory/edit.html", "directory/_edit_form.html", form=form, heading=heading,
        back=back, loose_errors=answer.loose or [], has_errors=answer.status == 422, **context,
    ), answer.status


def based_on_of(obj, form) -> str:
    """What an edit form of a register entry is based on: the posted fingerprint, or (to show
    the form) the fingerprint of the entry's fields as stored now; see `directory.services`."""
    if request.method == "POST":
        return request.form.get("based_on", "")[:64]
    return fingerprint(snapshot(obj), form.entry())


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
    answer = submit(form, change)
    if answer.done:
        if not wants_fragment():
            flash(done, "success")
            return redirect(target, 303)
        return page(blank_form(), message=done)
    if row is None:
        return page(form, loose_errors=answer.loose or []), 422
    errors = answer.errors if answer.errors is not None else {
        name: " ".join(str(m) for m in messages) for name, messages in form.errors.items()}
    return page(blank_form(), loose_errors=[f"{row}: {m}" for m in errors.values()]), 422
