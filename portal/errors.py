"""Error pages that say what went wrong without revealing internals."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from portal.concurrency import Conflict
from portal.extensions import db
from portal.models.decision import FinalDecisionError


def _wants_json() -> bool:
    """The JSON API answers in JSON; pages answer in HTML."""
    return request.path.startswith("/api/")


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("Please sign in"),
        403: _("You do not have access to this"),
        404: _("Page not found"),
        405: _("That is not allowed here"),
        409: _("Changed by someone else in the meantime"),
        413: _("The file is too large"),
        422: _("The request could not be saved"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }


def _render(code: int, detail: str | None = None, link: tuple[str, str] | None = None):
    """Render an error as JSON for the API and as a page otherwise; `link` is (url, label)."""
    title = _titles().get(code, _("Something went wrong"))
    if _wants_json():
        body = {"error": detail or title, "status": code}
        if link:
            body["current"] = link[0]
        return jsonify(body), code
    return render_template("errors/error.html", code=code, title=title, detail=detail,
                           link=link), code


def _is_unique_violation(error: IntegrityError) -> bool:
    """True when a unique constraint refused the row (PostgreSQL 23505, SQLite's message)."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code == "23505" or "UNIQUE constraint failed" in str(error.orig)


def init_app(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, _("The form had expired or was not sent from the portal. Try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code == 429:
            return _render(429, _("Too many attempts. Wait a moment and try again."))
        # A description given to abort() says what was wrong; the default one says nothing.
        custom = error.description if error.description != type(error).description else None
        return _render(code, custom)

    @app.errorhandler(Conflict)
    def conflict(error: Conflict):
        """A write that lost a race: 409, saying what is stored now and linking to it."""
        db.session.rollback()
        link = None
        if error.link:
            endpoint, values, label = error.link
            link = (url_for(endpoint, **values), label)
        return _render(409, str(error.message), link)

    @app.errorhandler(FinalDecisionError)
    def final_decision(error: FinalDecisionError):
        """Something tried to change a final decision, which a concurrent write made final."""
        db.session.rollback()
        return _render(409, _("The decision is final. A final decision is corrected with a "
                              "new version."))

    @app.errorhandler(StaleDataError)
    def stale_data(error: StaleDataError):
        """A versioned row changed between reading and writing it: never 500, always 409.

        Services turn this into a conflict showing the stored values where they can
        (`portal.commissions.services.commit_change`); this is the net under every other write.
        """
        db.session.rollback()
        return _render(409, _("Someone else saved this in the meantime. Open it again to see "
                              "what is stored now, then make your change."))

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        """Two writes of the same new thing at once (a key, a unique link): 409, not 500.

        Anything else the database refused is a fault and stays one.
        """
        db.session.rollback()
        if not _is_unique_violation(error):
            raise error
        return _render(409, _("Someone else saved the same thing at the same moment. Open "
                              "the page again to see what is stored now."))

    if app.testing:
        return  # tests see the real exception and its traceback

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _render(500)
