"""Error pages that say what went wrong without revealing internals."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db


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
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }


def _render(code: int, detail: str | None = None):
    """Render an error as JSON for the API and as a page otherwise."""
    title = _titles().get(code, _("Something went wrong"))
    if _wants_json():
        return jsonify(error=detail or title, status=code), code
    return render_template("errors/error.html", code=code, title=title, detail=detail), code


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

    if app.testing:
        return  # tests see the real exception and its traceback

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _render(500)
