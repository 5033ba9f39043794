"""The JSON API under /api/v1: every route of it, calling the services of the other areas."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
