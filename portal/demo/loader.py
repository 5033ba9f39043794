"""The demo: Region Västerbotten's structure and one account per role."""

from __future__ import annotations

import os
from importlib import resources

import click
from sqlalchemy import func, select

from portal.auth.services import create_user
from portal.exchange import services as exchange
from portal.extensions import db
from portal.models import Commission, Forum, ForumMembership, Organisation, Person, User

DEMO_PASSWORD = "narvard-demo"  # noqa: S105 - the documented demo password
DEMO_FILE = "vasterbotten.json"


def demo_text() -> bytes:
    """The shipped demo document."""
    return resources.files("portal.demo").joinpath(DEMO_FILE).read_bytes()


def _demo_people() -> dict[str, Person | None]:
    """Pick the people the demo accounts stand for, from the data itself."""
    lead = db.session.scalar(
        select(Person).join(Commission, Commission.lead_id == Person.id)
        .order_by(Commission.starts_on.desc()).limit(1)
    )
    forum_member = db.session.scalar(
        select(Person).join(ForumMembership, ForumMembership.person_id == Person.id)
        .join(Forum, Forum.id == ForumMembership.forum_id)
        .where(Forum.key == "lsg", ForumMembership.role.in_(("coordinator", "member")))
        .order_by(ForumMembership.role, Person.key).limit(1)
    )
    leader = db.session.scalar(
        select(Person).where(Person.title.ilike("%direktör%")).order_by(Person.key).limit(1)
    )
    return {"commission_lead": lead, "forum_member": forum_member, "leadership": leader}


DEMO_ACCOUNTS = (
    ("admin@example.org", "admin"),
    ("ledning@example.org", "leadership"),
    ("uppdrag@example.org", "commission_lead"),
    ("forum@example.org", "forum_member"),
)


def load_demo() -> list[tuple[str, str, str | None]]:
    """Import the demo document and create the demo accounts that are missing."""
    exchange.import_text(demo_text(), None, source="demo")
    people = _demo_people()
    accounts = []
    for email, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        person = people.get(role)
        if user is None:
            user = create_user(None, email, DEMO_PASSWORD, role, person, check_password=False)
        accounts.append((email, role, person.name if person else None))
    return accounts


def database_is_empty() -> bool:
    """True when no organisation has been stored yet."""
    return not db.session.scalar(select(func.count()).select_from(Organisation))


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database holds no data.")
def demo_command(if_empty: bool) -> None:
    """Load the Region Västerbotten demo data and the demo accounts."""
    from flask import current_app

    if (os.environ.get("PORTAL_ENV") == "production"
            or current_app.config.get("ENV_NAME") == "production"):
        raise click.ClickException("flask demo refuses to run under PORTAL_ENV=production: "
                                   "the demo accounts share a published password")
    if if_empty and not database_is_empty():
        click.echo("The database already holds data; the demo was not loaded.")
        return
    accounts = load_demo()
    click.echo("Demo data loaded: Region Västerbotten.")
    click.echo(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for email, role, person in accounts:
        click.echo(f"  {email:24} {role:16} {person or ''}")
