"""Representation: forums' scope and members' on_behalf_of, shown and edited in the register."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import AuditEntry, Forum, ForumMembership, Person
from tests.helpers import csrf_token


def test_forum_page_shows_scope_and_who_represents_whom(client, db, demo, signed_in):
    """The local forum names the municipalities it serves; a representative names whom."""
    signed_in("viewer")
    page = client.get("/forum/lsam-skelleftea").get_data(as_text=True)
    facts = page.split("Tjänar befolkningen i")[1].split("</dd>")[0]
    for key in ("skelleftea", "norsjo", "mala"):
        assert f'href="/organisationer/{key}"' in facts, key
    plan = client.get("/forum/gp-primarvard").get_data(as_text=True)
    row = plan.split('href="/personer/jessica-nyberg"')[1].split("</tr>")[0]
    assert "företräder även" in row and 'href="/organisationer/asele"' in row


def test_organisation_page_shows_where_others_represent_it(client, db, demo, signed_in):
    signed_in("viewer")
    page = client.get("/organisationer/asele").get_data(as_text=True)
    represented = page.split("Företräds av någon från en annan organisation")[1]
    assert 'href="/forum/gp-primarvard"' in represented.split("</ul>")[0]
    served = page.split("Forum som tjänar dess befolkning")[1].split("</ul>")[0]
    assert 'href="/forum/lsam-sodra-lappland"' in served


def test_an_admin_sets_the_scope_of_a_forum(client, db, demo, signed_in, based_on):
    signed_in("admin")
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsam-umea"))
    path = "/forum/lsam-umea/redigera"
    response = client.post(path, data={
        "csrf_token": csrf_token(client, path), **based_on(client, path), "name": forum.name,
        "kind": forum.kind,
        "level": forum.level, "reports_to": "lsg", "areas": [a.key for a in forum.areas],
        "scope": ["umea", "vannas"], "mandate": forum.mandate or "", "meets": ""})
    assert response.status_code == 303
    db.session.expire_all()
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsam-umea"))
    assert sorted(o.key for o in forum.scope) == ["umea", "vannas"]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "forum", AuditEntry.entity_key == "lsam-umea")).all()[-1]
    assert entry.before["scope"] == ["umea"] and entry.after["scope"] == ["umea", "vannas"]


def test_a_member_comes_to_represent_more_municipalities(client, db, demo, signed_in,
                                                        based_on):
    """The members page sets on_behalf_of with CSRF; unknown keys are refused (422)."""
    signed_in("admin")
    path = "/forum/lsg/medlemmar"
    token = csrf_token(client, path)
    url = "/forum/lsg/medlemmar/kerstin-fjallstrom/foretrader"
    shown = based_on(client, path, after=url)
    assert client.post(url, data={"on_behalf_of": ["asele"], **shown}).status_code in (400, 422)
    response = client.post(url, data={"csrf_token": token, "on_behalf_of": ["asele", "dorotea"],
                                      **shown})
    assert response.status_code in (200, 303)
    seat = db.session.scalar(select(ForumMembership).join(Person).where(
        Person.key == "kerstin-fjallstrom", ForumMembership.forum.has(Forum.key == "lsg")))
    assert sorted(o.key for o in seat.on_behalf_of) == ["asele", "dorotea"]
    refused = client.post(url, data={"csrf_token": token, "on_behalf_of": ["nope"],
                                     **based_on(client, path, after=url)})
    assert refused.status_code == 422
    stale = client.post(url, data={"csrf_token": token, "on_behalf_of": ["lycksele"], **shown})
    assert stale.status_code == 409 and "Dorotea kommun, Åsele kommun" in stale.get_data(
        as_text=True)
    panel = client.post(url, data={"csrf_token": token, "on_behalf_of": ["lycksele"], **shown},
                        headers={"HX-Request": "true"})
    assert panel.status_code == 409
    assert panel.get_data(as_text=True).lstrip().startswith('<div id="members-panel"')
    unsaid = client.post(url, data={"csrf_token": token, "on_behalf_of": ["lycksele"]})
    assert unsaid.status_code == 422
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "set_represents")).all()[-1]
    member = next(m for m in entry.after["members"] if m["person"] == "kerstin-fjallstrom")
    assert member["on_behalf_of"] == ["asele", "dorotea"]


def test_a_reader_cannot_change_representation(client, db, demo, signed_in):
    signed_in("viewer")
    token = csrf_token(client, "/")
    url = "/forum/lsg/medlemmar/kerstin-fjallstrom/foretrader"
    response = client.post(url, data={"csrf_token": token, "on_behalf_of": ["asele"]})
    assert response.status_code == 403
