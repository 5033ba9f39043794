"""Commissions, milestones, recommendations and actions.

The pages are in `routes` (reading, history, export), `routes_edit` (milestones, actions,
recommendations) and `routes_followup` (status reports, risks), all on this blueprint.
"""

from flask import Blueprint

bp = Blueprint("commissions", __name__)
