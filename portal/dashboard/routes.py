"""The start page, shaped by the signed-in user's role."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from portal.commissions.queries import commissions as all_commissions
from portal.commissions.queries import next_milestone
from portal.dashboard import queries, work
from portal.dates import today
from portal.extensions import derived
from portal.findings import services as findings
from portal.findings.kinds import GROUPS, NAMES

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    """My overview: the answer first for each role.

    What it shows depends on the map, the day and the user's role and person only, so it is
    rendered once per version of the map, day, language, role and person (portal.derived).
    """
    user = current_user
    day = today()
    overview = derived.html("dashboard-overview", day, user.role, user.person_id,
                            render=lambda: _overview(user, day))
    return render_template("dashboard/index.html", overview=overview)


def _overview(user, day):
    """The start page's content for this user's role and person.

    The tables of every commission and milestone are the same for everyone who sees all, so
    they are rendered once per version of the map and day.
    """
    mine = queries.my_commissions(user)
    forums = queries.my_forums(user)
    forum_ids = [f.id for f in forums]
    sees_all = user.role in ("admin", "leadership", "viewer")
    counts = Counter(f["kind"] for f in findings.findings(None, str(get_locale()))["findings"])

    milestones = None  # for those who see all, in the cached table instead
    if sees_all:
        milestones_html = derived.html(
            "dashboard-milestones", day, render=lambda: render_template(
                "dashboard/_milestones.html", today=day,
                milestones=queries.milestones_ahead(day, None)))
        commissions_html = derived.html(
            "dashboard-commissions", day, render=lambda: render_template(
                "dashboard/_commissions.html", today=day, commissions=all_commissions(),
                next_milestone=next_milestone))
    else:
        milestones = queries.milestones_ahead(day, [c.id for c in mine])
        milestones_html = commissions_html = ""
    return render_template(
        "dashboard/_overview.html",
        today=day,
        counts=queries.counts(day),
        my_commissions=mine,
        my_forums=forums,
        my_actions=queries.open_actions_of(user.person_id, forum_ids),
        milestones=milestones,
        my_scope=not sees_all,
        milestones_html=milestones_html,
        commissions_html=commissions_html,
        decisions=queries.latest_decisions(None if sees_all or not forums else forum_ids),
        next_milestone=next_milestone,
        finding_counts=counts,
        finding_groups=GROUPS,
        finding_names=NAMES,
    )


@bp.get("/mitt-arbete")
def my_work():
    """My work: my commissions' milestones, the actions I or my forums own, their decisions."""
    day = today()
    mine = work.my_work(current_user)
    open_milestones = [m for m in mine.milestones if m.done_on is None]
    return render_template(
        "dashboard/my_work.html",
        today=day,
        overdue_milestones=[m for m in open_milestones if m.due_on < day],
        upcoming_milestones=[m for m in open_milestones if m.due_on >= day],
        actions=mine.actions,
        decisions=mine.decisions,
    )


@bp.get("/oversikt/atgarder")
def tile_actions():
    """The actions a start-page tile counts: `?visa=forsenade` (overdue) or `oppna` (open)."""
    which = {"forsenade": "overdue", "oppna": "open"}.get(request.args.get("visa", "forsenade"))
    if which is None:
        abort(404)
    day = today()
    return render_template("dashboard/tile_actions.html", which=which, today=day,
                           actions=queries.tile_actions(which, day))


@bp.get("/oversikt/milstolpar")
def tile_milestones():
    """The overdue milestones the start-page tile counts."""
    day = today()
    return render_template("dashboard/tile_milestones.html", today=day,
                           milestones=queries.overdue_milestones(day))
