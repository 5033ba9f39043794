"""The Region Västerbotten demo data and the demo accounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.models import (
    Area,
    Commission,
    Forum,
    Indicator,
    Milestone,
    Organisation,
    Recommendation,
    User,
)

MUNICIPALITIES = {
    "Bjurholm", "Dorotea", "Lycksele", "Malå", "Nordmaling", "Norsjö", "Robertsfors",
    "Skellefteå", "Sorsele", "Storuman", "Umeå", "Vilhelmina", "Vindeln", "Vännäs", "Åsele",
}


def test_demo_has_the_eight_areas_and_fifteen_principal_municipalities(db, demo):
    """The eight ordinance areas and all fifteen municipalities, as principals, are there."""
    assert db.session.scalar(select(func.count()).select_from(Area)) == 8
    municipalities = db.session.scalars(
        select(Organisation).where(Organisation.kind == "municipality")
    ).all()
    names = [m.name for m in municipalities]
    for municipality in MUNICIPALITIES:  # "Bjurholms kommun" names Bjurholm
        assert any(name.startswith(municipality) for name in names), municipality
    assert all(m.is_principal for m in municipalities)
    region = db.session.scalar(select(Organisation).where(Organisation.kind == "region"))
    assert region.is_principal


def test_demo_has_the_forums_the_documents_name(db, demo):
    """LSG, HSN, RS, CLG and the others are present, LSG with members."""
    names = " | ".join(db.session.scalars(select(Forum.name)))
    for expected in ("Länssamverkansgruppen", "Hälso- och sjukvårdsnämnden", "Regionstyrelsen",
                     "Centrala ledningsgruppen", "LPO primärvård", "Fackligt samråd",
                     "Ledningsgrupp för LSO 1+2", "Regionala utvecklingsnämnden",
                     "Regionfullmäktige"):
        assert expected.lower() in names.lower(), expected
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    assert len(lsg.memberships) >= 10


def test_demo_has_the_2025_directive_milestones_with_their_dates(db, demo):
    """BP0, BP1, MS1, BP2 and BP3 of the 2025 directive, BP3 due 31 October 2025."""
    commission = db.session.scalar(
        select(Commission).where(Commission.starts_on >= date(2025, 1, 1))
        .order_by(Commission.starts_on).limit(1)
    ) or db.session.scalar(select(Commission).order_by(Commission.starts_on.desc()).limit(1))
    codes = {m.code: m for m in db.session.scalars(
        select(Milestone).where(Milestone.commission_id == commission.id))}
    assert set(codes) >= {"BP0", "BP1", "MS1", "BP2", "BP3"}
    assert codes["BP3"].due_on == date(2025, 10, 31)
    assert codes["BP0"].done_on is not None


def test_demo_has_recommendations_and_the_named_gp_indicator(db, demo):
    """Recommendations are there, and the named-GP share goes from 10 % to 20 % with no target."""
    assert db.session.scalar(select(func.count()).select_from(Recommendation)) >= 5
    indicators = db.session.scalars(select(Indicator)).all()
    named_gp = next(i for i in indicators if "läkarkontakt" in i.name.lower() and i.unit == "%")
    values = [v.value for v in named_gp.values]
    assert values[0] == 10 and values[-1] == 20
    assert named_gp.target is None  # the documents give no target for the named-GP share


def test_demo_accounts_sign_in_with_the_demo_password(db, demo, client, auth):
    """Each demo account signs in with narvard-demo and is linked as described."""
    for email in ("admin@example.org", "ledning@example.org", "uppdrag@example.org",
                  "forum@example.org"):
        response = auth.login(email, "narvard-demo")
        assert response.status_code == 302, email
        auth.logout()
    lead = db.session.scalar(select(User).where(User.email == "uppdrag@example.org"))
    assert db.session.scalar(
        select(func.count()).select_from(Commission).where(Commission.lead_id == lead.person_id)
    ) >= 1


def test_demo_command_loads_once(runner, db):
    """`flask demo --if-empty` loads into an empty database and leaves a full one alone."""
    first = runner.invoke(args=["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "narvard-demo" in first.output
    second = runner.invoke(args=["demo", "--if-empty"])
    assert "already holds data" in second.output
