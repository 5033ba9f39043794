"""The analysis pages of /analys: findings, the coverage matrix, brokers, the report; settings.

The pages are in `routes` (findings, thresholds) and `routes_structure` (coverage matrix,
brokers and communities, the leadership report), all on this blueprint. The computations
stay where they are: findings in `services`, the coverage matrix and summary in the map's.
"""

from flask import Blueprint, abort
from flask_login import current_user

from portal.auth.permissions import can_view_map

bp = Blueprint("findings", __name__)


@bp.before_request
def _may_view():
    """Every analysis page is for roles that may read the map (sign-in is checked before)."""
    if not can_view_map(current_user):
        abort(403)
