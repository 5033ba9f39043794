"""Meetings of forums: planning, agenda and notice, attendance, minutes and their approval."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)
