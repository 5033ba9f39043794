"""The commission lead's services: permission per object, audit, stale edits and validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.commissions import followup, services
from portal.commissions.services import KEY_PATTERN, EntryError, PermissionDenied, StaleEdit
from portal.dates import today
from portal.models import Action, AuditEntry, Risk, StatusReport
from tests.commissions.conftest import ALLOWED, by_key
from tests.conftest import refusals

REFUSED = ("leadership", "other_lead", "forum_member", "viewer")


def _entries(db, **where) -> list[AuditEntry]:
    stmt = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return db.session.scalars(stmt).all()


def _writes(commission, action, milestone, recommendation, risk):
    """One call of every write service, each as the given user would make it."""
    return {
        "milestone": lambda u: services.set_milestone_reached(
            u, milestone, milestone.version, date(2025, 10, 1)),
        "update_action": lambda u: services.update_action(u, action, action.version, progress=70),
        "create_action": lambda u: services.create_action(
            u, commission, title="Ny åtgärd", status="planned", progress=0),
        "create_recommendation": lambda u: services.create_recommendation(
            u, commission, text="Ny rekommendation", areas=[]),
        "update_recommendation": lambda u: services.update_recommendation(
            u, recommendation, recommendation.version, text="Ändrad text"),
        "status_report": lambda u: followup.add_status_report(
            u, commission, reported_on=today(), light="at_risk", comment="BP2 är sen."),
        "add_risk": lambda u: followup.add_risk(
            u, commission, title="Resurser saknas", likelihood=3, consequence=4),
        "update_risk": lambda u: followup.update_risk(u, risk, risk.version, status="mitigated"),
    }


@pytest.fixture
def risk(db, commission, users) -> Risk:
    """A risk in the commission's register."""
    return followup.add_risk(users["admin"], commission, title="Otydligt mandat",
                             likelihood=2, consequence=5)


WRITES = ("milestone", "update_action", "create_action", "create_recommendation",
          "update_recommendation", "status_report", "add_risk", "update_risk")


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", REFUSED)
def test_everyone_but_admin_and_the_lead_is_refused(db, users, commission, action, milestone,
                                                     recommendation, risk, role, write):
    """Leadership, the lead of another commission, forum members and readers change nothing."""
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(PermissionDenied):
        _writes(commission, action, milestone, recommendation, risk)[write](users[role])
    assert refusals(users[role].email) == 1  # counted among the security events
    after = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert after == before  # the audit trail keeps writes, and nothing was written


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_lead_may_write(db, users, commission, action, milestone, recommendation,
                                      risk, role, write):
    """Each write by an allowed user is committed with an audit entry naming the user."""
    _writes(commission, action, milestone, recommendation, risk)[write](users[role])
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.actor == users[role].email
    assert last.action in ("create", "update")


def test_signed_out_is_refused(db, commission):
    """Without a user nothing can be written."""
    with pytest.raises(PermissionDenied):
        followup.add_status_report(None, commission, reported_on=today(), light="on_track",
                                   comment="x")


def test_an_action_change_is_audited_before_and_after(db, users, action):
    """Moving an action to done records both snapshots; done sets progress to 100."""
    old_version = action.version
    services.update_action(users["commission_lead"], action, old_version, status="done")
    assert (action.status, action.progress, action.version) == ("done", 100, old_version + 1)
    entry = _entries(db, entity_type="action", entity_key=action.key, action="update")[-1]
    assert entry.before["status"] == "planned" and entry.before["progress"] == 0
    assert entry.after["status"] == "done" and entry.after["progress"] == 100
    assert entry.user_id == users["commission_lead"].id


def test_a_stale_edit_is_refused_with_the_current_values(db, users, action):
    """A form opened before someone else saved cannot overwrite their change."""
    opened_at = action.version
    services.update_action(users["admin"], action, opened_at, progress=80)
    writes = db.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(StaleEdit) as refused:
        services.update_action(users["commission_lead"], action, opened_at, progress=65)
    assert refused.value.current.progress == 80
    assert refused.value.current.version == opened_at + 1
    db.session.expire_all()
    assert by_key(db, Action, action.key).progress == 80
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == writes


@pytest.mark.parametrize("version", [0, 99])
def test_a_wrong_version_is_stale(db, users, milestone, version):
    """Only the stored version lets a change through."""
    with pytest.raises(StaleEdit):
        services.set_milestone_reached(users["admin"], milestone, version, date(2025, 10, 1))


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_a_missing_version_is_refused_as_an_entry_error(db, users, milestone, version):
    """A change that does not say which version it was based on is refused (422), not let
    through with the stored version."""
    with pytest.raises(EntryError) as refused:
        services.set_milestone_reached(users["admin"], milestone, version, date(2025, 10, 1))
    assert "version" in refused.value.errors


def test_an_import_makes_open_forms_stale(db, users, action, recommendation):
    """A change by import moves the version on too, so a form opened before it is refused."""
    from portal.exchange import services as exchange
    from portal.exchange.exporter import export_document
    from portal.exchange.validator import dump_document

    opened = {"action": action.version, "rec": recommendation.version}
    doc = export_document(db.session)
    for entry in doc["actions"]:
        if entry["key"] == action.key:
            entry["progress"] = 75
    for entry in doc["recommendations"]:
        if entry["key"] == recommendation.key:
            entry["text"] += " (reviderad)"
    exchange.import_text(dump_document(doc), users["admin"])
    with pytest.raises(StaleEdit):
        services.update_action(users["commission_lead"], action, opened["action"], progress=90)
    with pytest.raises(StaleEdit):
        services.update_recommendation(users["commission_lead"], recommendation, opened["rec"],
                                       text="Min text")


def test_changing_only_the_areas_moves_the_version_on(db, users, action):
    """Link-only changes are edits too: a form opened before them is stale."""
    opened_at = action.version
    services.update_action(users["commission_lead"], action, opened_at,
                           areas=["kontinuitet", "rehab"])
    assert action.version == opened_at + 1
    with pytest.raises(StaleEdit):
        services.update_action(users["commission_lead"], action, opened_at, progress=5)


def test_saving_without_a_change_writes_nothing(db, users, action):
    """An unchanged form neither bumps the version nor fills the audit trail."""
    opened_at = action.version
    writes = db.session.scalar(select(func.count()).select_from(AuditEntry))
    services.update_action(users["commission_lead"], action, opened_at, progress=0)
    assert action.version == opened_at
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == writes


@pytest.mark.parametrize(("changes", "field"), [
    ({"progress": 101}, "progress"),
    ({"progress": -1}, "progress"),
    ({"progress": None}, "progress"),
    ({"progress": True}, "progress"),
    ({"status": "finished"}, "status"),
    ({"title": "   "}, "title"),
    ({"due_on": "2025-02-30"}, "due_on"),
    ({"due_on": date(1066, 10, 14)}, "due_on"),
    ({"owner_person": "nobody-by-this-key"}, "owner_person"),
    ({"owner_forum": "no-such-forum"}, "owner_forum"),
    ({"recommendation": "r-missing"}, "recommendation"),
    ({"areas": ["kontinuitet", "no-such-area"]}, "areas"),
])
def test_invalid_action_values_are_refused_by_field(db, users, action, changes, field):
    """Each broken rule is named on its field, and nothing is saved."""
    opened_at = action.version
    with pytest.raises(EntryError) as refused:
        services.update_action(users["commission_lead"], action, opened_at, **changes)
    assert field in refused.value.errors
    db.session.expire_all()
    assert by_key(db, Action, action.key).version == opened_at


def test_a_milestone_cannot_be_reached_in_the_future(db, users, milestone):
    """A reached date is a real date, not later than today."""
    with pytest.raises(EntryError) as refused:
        services.set_milestone_reached(users["commission_lead"], milestone, milestone.version,
                                       today() + timedelta(days=1))
    assert "done_on" in refused.value.errors


def test_a_milestone_is_reached_and_unreached_with_audit(db, users, milestone):
    """Reaching and un-reaching a milestone are both recorded, each with before and after."""
    lead = users["commission_lead"]
    services.set_milestone_reached(lead, milestone, milestone.version, date(2025, 10, 1))
    services.set_milestone_reached(lead, milestone, milestone.version, None)
    reached, unreached = _entries(db, entity_type="milestone", entity_key=milestone.key,
                                  action="update")[-2:]
    assert (reached.before["done_on"], reached.after["done_on"]) == (None, "2025-10-01")
    assert (unreached.before["done_on"], unreached.after["done_on"]) == ("2025-10-01", None)


def test_new_action_keys_come_from_the_title(db, users, commission):
    """Keys are ASCII slugs of the title, unique and never longer than 64 characters."""
    lead = users["commission_lead"]
    title = "Åtgärda väntetider på hälsocentralerna i Södra Lappland " * 3
    first = services.create_action(lead, commission, title=title, progress=0)
    second = services.create_action(lead, commission, title=title, progress=0)
    odd = services.create_action(lead, commission, title="=HYPERLINK(\"x\") ???", progress=0)
    assert first.key.startswith("a-atgarda-vantetider-pa-halsocentralerna")
    assert first.key != second.key
    for key in (first.key, second.key, odd.key):
        assert KEY_PATTERN.match(key) and len(key) <= 64
    assert first.commission == commission and first.status == "planned"
    entry = _entries(db, entity_type="action", entity_key=first.key)[-1]
    assert entry.action == "create" and entry.before is None
    assert entry.after["title"] == title.strip()


def test_status_reports_are_append_only(db, users, commission):
    """A new report never changes an earlier one; the module offers no edit or delete."""
    lead = users["commission_lead"]
    first = followup.add_status_report(lead, commission, reported_on=date(2025, 9, 1),
                                       light="on_track", comment="Enligt plan.")
    followup.add_status_report(lead, commission, reported_on=date(2025, 10, 2),
                               light="off_track", comment="BP2 missades.")
    reports = db.session.scalars(select(StatusReport).order_by(StatusReport.id)).all()
    assert [(r.light, r.comment) for r in reports] == [
        ("on_track", "Enligt plan."), ("off_track", "BP2 missades.")]
    assert reports[0].id == first.id and reports[0].author == lead
    assert not [name for name in dir(followup)
                if "report" in name and name.startswith(("update", "delete", "edit", "remove"))]


@pytest.mark.parametrize(("values", "field"), [
    ({"light": "green"}, "light"),
    ({"light": None}, "light"),
    ({"reported_on": None}, "reported_on"),
    ({"reported_on": date(2999, 1, 1)}, "reported_on"),
    ({"comment": ""}, "comment"),
])
def test_invalid_status_reports_are_refused(db, users, commission, values, field):
    """A report needs a date (not in the future), a light and a comment."""
    data = {"reported_on": today(), "light": "at_risk", "comment": "x", **values}
    with pytest.raises(EntryError) as refused:
        followup.add_status_report(users["commission_lead"], commission, **data)
    assert field in refused.value.errors
    assert db.session.scalar(select(func.count()).select_from(StatusReport)) == 0


def test_risks_are_added_changed_and_checked(db, users, commission, risk):
    """The register keeps scores 1–5, an owner, a mitigation and a status, versioned."""
    lead = users["commission_lead"]
    assert (risk.score, risk.level, risk.status) == (10, "high", "open")
    followup.update_risk(lead, risk, risk.version, owner_person="emma-holmstrom",
                         mitigation="Beslut i CLG.", status="mitigated", likelihood=1)
    assert (risk.owner_person.key, risk.status, risk.score, risk.level) == (
        "emma-holmstrom", "mitigated", 5, "medium")
    entry = _entries(db, entity_type="risk", entity_key=risk.key, action="update")[-1]
    assert entry.before["status"] == "open" and entry.after["status"] == "mitigated"
    with pytest.raises(StaleEdit):
        followup.update_risk(lead, risk, risk.version - 1, status="closed")
    for bad, field in (({"likelihood": 0}, "likelihood"), ({"consequence": 6}, "consequence"),
                       ({"status": "gone"}, "status"), ({"title": ""}, "title"),
                       ({"owner_person": "nobody"}, "owner_person")):
        with pytest.raises(EntryError) as refused:
            followup.update_risk(lead, risk, risk.version, **bad)
        assert field in refused.value.errors


@pytest.mark.parametrize(("due", "accepted"), [
    (date(1900, 1, 1), True), (date(2199, 12, 31), True),
    (date(1899, 12, 31), False), (date(2200, 1, 1), False), (date(9999, 12, 31), False)])
def test_a_due_date_has_the_portals_one_range(db, users, action, due, accepted):
    """Forms take the dates an import takes (1900-01-01 to 2199-12-31), no others."""
    if accepted:
        services.update_action(users["admin"], action, action.version, due_on=due)
        assert action.due_on == due
        return
    with pytest.raises(EntryError) as refused:
        services.update_action(users["admin"], action, action.version, due_on=due)
    assert "due_on" in refused.value.errors


def test_an_action_links_only_to_recommendations_of_commissions_one_leads(db, users):
    """A lead's action cannot count towards another commission's recommendation (that
    commission would show it as done); an admin may link it, and the link then stays."""
    from portal.models import Commission, Recommendation

    action = Action(key="a23-bestallarroll", title="Beställarrollen",  # led by other_lead
                    commission=by_key(db, Commission, "fm2023-genomlysning"))
    db.session.add(action)
    db.session.commit()
    other = by_key(db, Recommendation, "r24-nav")  # the 2024 commission's
    lead = users["other_lead"]
    with pytest.raises(EntryError) as refused:
        services.update_action(lead, action, action.version, recommendation=other.key)
    assert "recommendation" in refused.value.errors
    db.session.rollback()
    assert action.recommendation is None
    services.update_action(users["admin"], action, action.version, recommendation=other.key)
    assert action.recommendation == other
    services.update_action(lead, action, action.version, title="Ny titel")  # the link stays
    assert (action.recommendation, action.title) == (other, "Ny titel")
