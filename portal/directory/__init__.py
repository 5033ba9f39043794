"""The register: organisations, people, forums and focus areas.

The pages are in `routes` (reading) and `routes_edit` (keeping the register up to date),
both on this blueprint.
"""

from flask import Blueprint

bp = Blueprint("directory", __name__)
