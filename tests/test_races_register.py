"""Races on the register, representation and imports: one clean winner through real HTTP.

Like `tests/test_races.py`: the same write from several signed-in clients at once against
gunicorn (`LivePortal.at_once`), `LIVE_ROUNDS` times, on SQLite or PostgreSQL. Every answer is a
success or a refusal that says why (409); never a 500, and what is stored is one winner's.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from portal.demo.loader import DEMO_PASSWORD, load_demo
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Document,
    Forum,
    ForumMembership,
    Indicator,
    IndicatorValue,
    Person,
)
from tests.live import ROUNDS

ADMIN = "admin@example.org"
_BASED_ON = re.compile(r'name="based_on" value="([^"]*)"')
_PREVIEW_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def _codes(answers) -> list[int]:
    return [a.status_code for a in answers]


def _imports(live_portal) -> int:
    """How many imports the audit trail records."""
    with live_portal.app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "import"))
        db.session.remove()
    return count


def _based_on(client, path: str, after: str = "") -> str:
    """The `based_on` of the (first) form on the page that comes after the text `after`."""
    page = client.get(path).text
    match = _BASED_ON.search(page, page.index(after) if after else 0)
    assert match, f"no based_on on {path}"
    return match.group(1)


def _trail_is_a_chain(entity_type: str, key: str) -> list[AuditEntry]:
    """The entity's audit entries since the demo, each starting where the one before ended."""
    trail = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == entity_type, AuditEntry.entity_key == key,
        AuditEntry.action.in_(("update", "set_represents")))
        .order_by(AuditEntry.id)).all()
    for earlier, later in zip(trail, trail[1:], strict=False):
        if earlier.after is not None and later.before is not None:
            assert later.before == earlier.after, (earlier.action, later.action)
    return trail


def test_the_same_document_created_at_once_is_stored_once(live_portal):
    """Four admins add a document with the same key at the same moment: one 303, three 422
    that say the key is taken (at the key field, as when it was taken long ago)."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=4)
    for round_no in range(ROUNDS):
        key = f"samma-dokument-{round_no}"
        answers = live_portal.at_once([
            lambda c=c, n=n, key=key: c.post("/dokument/ny", data={
                "csrf_token": c.csrf, "key": key, "title": f"Dokument {n}", "kind": "report",
                "date": "2025-10-31", "owner": "", "parent": "", "summary": "", "url": ""})
            for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [422] * 3, codes
        for loser in (a for a in answers if a.status_code == 422):
            assert f"Nyckeln {key} används redan" in loser.text
        with live_portal.app.app_context():
            stored = db.session.scalars(select(Document).where(Document.key == key)).all()
            assert len(stored) == 1
            assert stored[0].title == f"Dokument {codes.index(303)}"
            creates = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity_key == key, AuditEntry.action == "create"))
            assert creates == 1
            db.session.remove()


def test_edits_of_one_document_opened_at_once_have_one_winner(live_portal):
    """Four admins open the same document and save it at once: one 303, three 409 that link
    to the document as it is now; the stored title is the winner's, the trail one chain."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=4)
    key, path = "gemensam-plan-pv", "/dokument/gemensam-plan-pv/redigera"
    for round_no in range(ROUNDS):
        based_on = _based_on(clients[0], path)
        answers = live_portal.at_once([
            lambda c=c, n=n, b=based_on, r=round_no: c.post(path, data={
                "csrf_token": c.csrf, "based_on": b, "title": f"Plan {r}-{n}",
                "kind": "plan", "date": "2024-06-01", "owner": "", "parent": "fardplan-2030",
                "summary": "", "url": ""})
            for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 3, codes
        loser = next(a for a in answers if a.status_code == 409)
        assert f'href="/dokument/{key}"' in loser.text
        with live_portal.app.app_context():
            stored = db.session.scalar(select(Document).where(Document.key == key))
            assert stored.title == f"Plan {round_no}-{codes.index(303)}"
            assert _trail_is_a_chain("document", key)[-1].after["title"] == stored.title
            db.session.remove()


def test_whom_a_member_represents_changed_at_once_has_one_winner(live_portal):
    """Four forum officers set whom one LSG-beredning member represents, each from the same
    members page: one succeeds, three get 409 naming what is stored now."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=4)
    url = "/forum/lsg-beredning/medlemmar/jimmy-ostrom/foretrader"
    pool = [["norsjo"], ["mala"], ["norsjo", "mala"], ["skelleftea", "norsjo", "mala"],
            ["lycksele"]]
    stored = ["norsjo", "mala"]
    for round_no in range(ROUNDS):
        based_on = _based_on(clients[0], "/forum/lsg-beredning/medlemmar", after=url)
        # Four choices that each differ from what is stored (saving it again changes nothing,
        # so it would rightly not conflict), in an order that moves on every round.
        order = [c for c in pool if sorted(c) != sorted(stored)]
        order = (order[round_no % 4:] + order[:round_no % 4])[:4]
        answers = live_portal.at_once([
            lambda c=c, keys=keys, b=based_on: c.post(url, data={
                "csrf_token": c.csrf, "based_on": b, "on_behalf_of": keys})
            for c, keys in zip(clients, order, strict=True)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 3, codes
        stored = order[codes.index(303)]
        with live_portal.app.app_context():
            seat = db.session.scalar(select(ForumMembership).join(Person).where(
                Person.key == "jimmy-ostrom",
                ForumMembership.forum.has(Forum.key == "lsg-beredning")))
            assert sorted(o.key for o in seat.on_behalf_of) == sorted(stored)
            last = _trail_is_a_chain("forum", "lsg-beredning")[-1]
            member = next(m for m in last.after["members"] if m["person"] == "jimmy-ostrom")
            assert sorted(member["on_behalf_of"]) == sorted(stored)
            db.session.remove()


def test_a_forums_scope_changed_at_once_has_one_winner(live_portal):
    """Four admins save the scope of the same local forum, opened at the same state."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=4)
    path = "/forum/lsam-umea/redigera"
    with live_portal.app.app_context():
        forum = db.session.scalar(select(Forum).where(Forum.key == "lsam-umea"))
        fields = {"name": forum.name, "kind": forum.kind, "level": forum.level,
                  "reports_to": forum.reports_to.key if forum.reports_to else "",
                  "areas": [a.key for a in forum.areas], "mandate": forum.mandate or "",
                  "meets": forum.meets or ""}
        db.session.remove()
    scopes = [["umea", "vannas"], ["umea", "bjurholm"], ["umea", "vindeln"], ["vannas"]]
    for round_no in range(ROUNDS):
        based_on = _based_on(clients[0], path)
        answers = live_portal.at_once([
            lambda c=c, n=n, b=based_on, r=round_no: c.post(path, data={
                **fields, "csrf_token": c.csrf, "based_on": b,
                "scope": scopes[(r + n) % 4] + ([] if r % 2 else ["robertsfors"])})
            for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 3, codes
        winner = codes.index(303)
        with live_portal.app.app_context():
            forum = db.session.scalar(select(Forum).where(Forum.key == "lsam-umea"))
            wanted = scopes[(round_no + winner) % 4] + ([] if round_no % 2 else ["robertsfors"])
            assert sorted(o.key for o in forum.scope) == sorted(wanted)
            assert _trail_is_a_chain("forum", "lsam-umea")[-1].after["scope"] == sorted(wanted)
            db.session.remove()


def _indicator_rows(round_no: int) -> bytes:
    return (b"indicator;organisation;date;value\n"
            + f"ko05l;umea;2030-01-{round_no % 28 + 1:02d};0,{round_no % 9 + 1}\n".encode()
            + f"ko05l;;2030-01-{round_no % 28 + 1:02d};0,5\n".encode())


def test_one_indicator_value_preview_confirmed_twice_at_once_imports_once(live_portal):
    """The same spreadsheet preview confirmed from two tabs at once: one import, one refusal,
    and no value twice."""
    live_portal.load(load_demo)
    live_portal.start()
    tab_a, tab_b = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=2)
    with live_portal.app.app_context():
        before = db.session.scalar(select(func.count()).select_from(IndicatorValue))
        db.session.remove()
    imports = _imports(live_portal)
    for round_no in range(ROUNDS):
        page = tab_a.post("/admin/utbyte/kalkylblad", data={
            "csrf_token": tab_a.csrf, "kind": "values"},
            files={"sheet": (f"varden-{round_no}.csv", _indicator_rows(round_no), "text/csv")})
        assert page.status_code == 200, page.text
        token = _PREVIEW_TOKEN.search(page.text).group(1)
        answers = live_portal.at_once([
            lambda c=c, t=token: c.post("/admin/utbyte/kalkylblad/bekrafta",
                                        data={"csrf_token": c.csrf, "token": t})
            for c in (tab_a, tab_b)])
        codes = _codes(answers)
        assert sorted(codes) == [303, 409], codes
        loser = answers[codes.index(409)]
        assert "redan bekräftats" in loser.text
        assert _imports(live_portal) == imports + round_no + 1
        with live_portal.app.app_context():
            indicator = db.session.scalar(select(Indicator).where(Indicator.key == "ko05l"))
            day = f"2030-01-{round_no % 28 + 1:02d}"
            on_day = [v for v in indicator.values if v.measured_on.isoformat() == day]
            assert len(on_day) == 2
            db.session.remove()
    with live_portal.app.app_context():
        after = db.session.scalar(select(func.count()).select_from(IndicatorValue))
        assert after - before == 2 * len({r % 28 for r in range(ROUNDS)})
        db.session.remove()


def test_one_import_preview_confirmed_twice_at_once_imports_once(live_portal):
    """The same previewed exchange file confirmed twice at once: one import, one 409."""
    live_portal.load(load_demo)
    live_portal.start()
    tab_a, tab_b = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=2)
    imports = _imports(live_portal)
    for round_no in range(ROUNDS):
        document = json.dumps({"format": "samverkan/1", "areas": [
            {"key": f"omrade-{round_no}", "name": f"Område {round_no}"}]}).encode()
        page = tab_a.post("/admin/utbyte", data={"csrf_token": tab_a.csrf},
                          files={"document": ("omrade.json", document, "application/json")})
        assert page.status_code == 200, page.text
        token = _PREVIEW_TOKEN.search(page.text).group(1)
        answers = live_portal.at_once([
            lambda c=c, t=token: c.post("/admin/utbyte/importera",
                                        data={"csrf_token": c.csrf, "token": t})
            for c in (tab_a, tab_b)])
        codes = _codes(answers)
        assert sorted(codes) == [303, 409], codes
        assert "redan bekräftats" in answers[codes.index(409)].text
        assert _imports(live_portal) == imports + round_no + 1
