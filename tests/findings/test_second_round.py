"""The second round of the findings in the portal: meetings and on_behalf_of read from the
database, the new thresholds in the CLI, the API and the admin form, cut_off on the page and on
the map. Run on SQLite and PostgreSQL alike (TEST_DATABASE_URL)."""

from __future__ import annotations

import json
from datetime import date

from portal.analysis.core import DEFAULT_SETTINGS, analyze
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text
from portal.exchange.validator import validate_document
from tests.helpers import csrf_token

AS_OF = "2030-06-01"  # after the demo's own dates, so only the meetings below are in the window
# A new forum where one member acts for Dorotea and Åsele (on_behalf_of), its meetings, and a
# forum that stopped meeting.
MEETINGS = {
    "format": "samverkan/1",
    "forums": [
        {"key": "ny-samrad", "name": "Nytt samråd", "kind": "working_group", "level": "county",
         "reports_to": "lsg", "areas": ["rehab"],
         "members": [{"person": "agnes-wallstrom", "role": "chair"},
                     {"person": "malin-dahlberg", "role": "member",
                      "on_behalf_of": ["dorotea", "asele"]}]},
        {"key": "ny-vilande", "name": "Vilande gruppen", "kind": "working_group",
         "level": "county", "reports_to": "lsg", "areas": ["rehab"],
         "members": [{"person": "agnes-wallstrom", "role": "chair"}]},
    ],
    "meetings": [
        *({"key": f"ny-samrad-{n}", "forum": "ny-samrad", "date": day, "status": "held",
           "present": ["agnes-wallstrom", "malin-dahlberg"] if n <= 2 else ["agnes-wallstrom"],
           "apologies": [] if n <= 2 else ["malin-dahlberg"],
           **({"minutes_approved_on": approved} if approved else {})}
          for n, (day, approved) in enumerate(
              [("2030-01-10", "2030-01-15"), ("2030-02-10", "2030-02-12"),
               ("2030-03-10", "2030-03-20"), ("2030-04-10", "2030-06-02"),
               ("2030-05-12", None)], start=1)),
        {"key": "ny-samrad-6", "forum": "ny-samrad", "date": "2030-06-20", "status": "planned"},
        {"key": "ny-vilande-1", "forum": "ny-vilande", "date": "2029-10-01", "status": "held",
         "minutes_approved_on": "2029-10-05"},
    ],
}

def _ours(doc: dict) -> list[dict]:
    """The findings about the imported forums, without their messages."""
    return [{k: v for k, v in f.items() if k != "message"} for f in doc["findings"]
            if f.get("forum") in ("ny-samrad", "ny-vilande")]


def _cli(runner, *args) -> dict:
    result = runner.invoke(args=["analyze", "--json", "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_meetings_and_on_behalf_of_from_the_database(runner, db, demo):
    """Imported meetings, attendance, minutes and on_behalf_of give exactly the findings of
    analysis.md, from the database as from the exchange document itself."""
    import_text(json.dumps(MEETINGS), None)
    doc = _cli(runner)
    assert doc["settings"] == DEFAULT_SETTINGS
    assert _ours(doc) == [
        # Malin acts for Dorotea and Åsele: present at 2 of 5 recorded meetings, under half.
        {"kind": "absent_principal", "organisation": "asele", "forum": "ny-samrad",
         "meetings": 5, "attended": 2},
        {"kind": "absent_principal", "organisation": "dorotea", "forum": "ny-samrad",
         "meetings": 5, "attended": 2},
        {"kind": "inactive_member", "person": "malin-dahlberg", "forum": "ny-samrad",
         "last_present": "2030-02-10", "last_meetings": 3},
        {"kind": "dormant_forum", "forum": "ny-vilande", "last_held": "2029-10-01",
         "days": 243},
        # Approved after the as-of date, and not approved at all; 2030-05-12 is 20 days back.
        {"kind": "unapproved_minutes", "meeting": "ny-samrad-4", "forum": "ny-samrad",
         "date": "2030-04-10", "days": 52},
        {"kind": "unapproved_minutes", "meeting": "ny-samrad-5", "forum": "ny-samrad",
         "date": "2030-05-12", "days": 20},
    ]
    # Dorotea and Åsele count as represented in rehab through Malin's on_behalf_of.
    exported = export_document(db.session, for_analysis=True)
    assert doc == analyze(exported, date(2030, 6, 1))
    as_file = validate_document(json.loads(json.dumps(export_document(db.session), default=str)))
    assert _ours(analyze(as_file, date(2030, 6, 1))) == _ours(doc)


def test_exactly_half_is_not_absent_and_thresholds_change_the_result(runner, db, demo):
    """With the last meeting left out by the minimum of meetings, the flags work as asked."""
    import_text(json.dumps(MEETINGS), None)
    strict = _cli(runner, "--participation-min-share", "0.4", "--minutes-due-days", "30",
                  "--inactive-after-meetings", "4", "--dormant-after-days", "300",
                  "--participation-min-meetings", "6")
    assert strict["settings"] == {**DEFAULT_SETTINGS, "participation_min_share": 0.4,
                                  "minutes_due_days": 30, "inactive_after_meetings": 4,
                                  "dormant_after_days": 300, "participation_min_meetings": 6}
    kinds = [(f["kind"], f.get("meeting")) for f in _ours(strict)]
    assert kinds == [("unapproved_minutes", "ny-samrad-4")]


def test_cli_refuses_thresholds_out_of_range_with_exit_code_2(runner, db, demo):
    """Each new flag is checked against its range; the message names the setting."""
    for flag, value, name in (("--participation-min-share", "0", "participation_min_share"),
                              ("--participation-min-meetings", "101",
                               "participation_min_meetings"),
                              ("--inactive-after-meetings", "0", "inactive_after_meetings"),
                              ("--dormant-after-days", "3651", "dormant_after_days"),
                              ("--minutes-due-days", "0", "minutes_due_days"),
                              ("--parallel-min-overlap", "1.5", "parallel_min_overlap"),
                              ("--overload-min-forums", "101", "overload_min_forums")):
        result = runner.invoke(args=["analyze", "--json", flag, value])
        assert result.exit_code == 2, (flag, result.output)
        assert name in result.output


def test_cli_lang_gives_the_new_kinds_in_english(runner, db, demo):
    """--lang en takes the same catalogues as the web."""
    import_text(json.dumps(MEETINGS), None)
    sv = _cli(runner)
    en = _cli(runner, "--lang", "en")
    message = {lang: next(f["message"] for f in doc["findings"]
                          if f["kind"] == "dormant_forum" and f["forum"] == "ny-vilande")
               for lang, doc in (("sv", sv), ("en", en))}
    assert message["sv"].startswith("”Vilande gruppen” har inte haft något möte sedan 2029-10-01")
    assert message["en"].startswith("“Vilande gruppen” has not met since 2029-10-01")


def test_api_takes_thresholds_and_answers_400_out_of_range(client, db, demo, signed_in):
    """GET /api/v1/findings?minutes_due_days=30 analyses with it; out of range is 400."""
    import_text(json.dumps(MEETINGS), None)
    signed_in("viewer")
    doc = client.get(f"/api/v1/findings?as_of={AS_OF}&minutes_due_days=30").get_json()
    assert doc["settings"]["minutes_due_days"] == 30
    assert [f["meeting"] for f in _ours(doc) if f["kind"] == "unapproved_minutes"] == [
        "ny-samrad-4"]
    for query in ("minutes_due_days=0", "participation_min_share=1.5",
                  "inactive_after_meetings=abc", "dormant_after_days=3651"):
        response = client.get(f"/api/v1/findings?as_of={AS_OF}&{query}")
        assert response.status_code == 400, query
        assert query.split("=")[0] in response.get_json()["error"]


def test_findings_page_shows_the_new_kinds_with_links_in_both_languages(
        client, db, demo, signed_in):
    """The meeting kinds are grouped, explained and linked to their forum, person and
    organisation, in Swedish and in English."""
    import_text(json.dumps(MEETINGS), None)
    signed_in("leadership")
    page = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert "Hur forumen faktiskt möts" in page
    for kind in ("absent_principal", "inactive_member", "dormant_forum", "unapproved_minutes"):
        assert f'id="{kind}"' in page
    assert "Dorotea kommun är representerad i ”Nytt samråd” men var med på bara 2 av" in page
    assert 'href="/forum/ny-samrad"' in page and 'href="/forum/ny-vilande"' in page
    assert 'href="/personer/malin-dahlberg"' in page
    assert 'href="/organisationer/dorotea"' in page
    assert "Nytt samråd 2030-05-12" in page  # an unapproved meeting is named by forum and date
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    english = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert "How forums actually meet" in english
    assert "“Vilande gruppen” has not met since 2029-10-01" in english


# A council whose only link to the rest of the structure is Agnes, who chairs it: the demo has
# no such person (the documents give no one's forums), so the test adds one.
COUNCIL = {
    "format": "samverkan/1",
    "people": [{"key": "ny-ledamot", "name": "Ny Ledamot", "organisation": "rv",
                "title": "Huvudskyddsombud"}],
    "forums": [{"key": "ny-rad", "name": "Nytt råd", "kind": "consultation", "level": "regional",
                "reports_to": "hsn",
                "members": [{"person": "agnes-wallstrom", "role": "chair"},
                            {"person": "ny-ledamot", "role": "member"}]}],
}


def test_single_point_of_failure_names_and_shows_the_forums_cut_off(client, db, demo,
                                                                    signed_in):
    """Agnes is the only link to the new council: the page says so and links it, and
    "Show on the map" focuses Agnes and that forum only, not all of her forums."""
    import_text(json.dumps(COUNCIL), None)
    signed_in("leadership")
    doc = client.get("/api/v1/findings").get_json()
    (agnes,) = [f for f in doc["findings"] if f["kind"] == "single_point_of_failure"
                and f["person"] == "agnes-wallstrom"]
    assert agnes["cut_off"] == ["ny-rad"]
    assert "den enda länken mellan ”Nytt råd” och resten" in agnes["message"]
    page = client.get("/analys?kind=single_point_of_failure").get_data(as_text=True)
    item = page.split('href="/personer/agnes-wallstrom"')[1].split("</li>")[0]
    assert "Skulle skäras av:" in item and 'href="/forum/ny-rad"' in item
    assert "focus=single_point_of_failure:agnes-wallstrom" in item
    data = client.get("/karta/data.json?focus=single_point_of_failure:agnes-wallstrom")
    focus = data.get_json()["focus"]
    assert focus["forums"] == ["ny-rad"] and focus["people"] == ["agnes-wallstrom"]


def test_admin_sets_the_meeting_thresholds(client, db, demo, signed_in):
    """The new thresholds are on the admin form, saved, audited and used; out of range is
    shown next to the field."""
    from sqlalchemy import select

    from portal.models import AuditEntry

    signed_in("admin")
    page = client.get("/admin/installningar").get_data(as_text=True)
    for name in DEFAULT_SETTINGS:
        assert f'name="{name}"' in page
    fields = {name: str(value) for name, value in DEFAULT_SETTINGS.items()}
    bad = client.post("/admin/installningar", data={
        **fields, "dormant_after_days": "0",
        "csrf_token": csrf_token(client, "/admin/installningar")})
    assert bad.status_code == 400
    assert 'id="dormant_after_days-error"' in bad.get_data(as_text=True)
    response = client.post("/admin/installningar", data={
        **fields, "participation_min_share": "0,25", "minutes_due_days": "30",
        "csrf_token": csrf_token(client, "/admin/installningar")})
    assert response.status_code == 303
    doc = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    assert doc["settings"]["participation_min_share"] == 0.25
    assert doc["settings"]["minutes_due_days"] == 30
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "setting"))
    assert entry.after["minutes_due_days"] == 30 and entry.before["minutes_due_days"] == 14


def test_a_stored_threshold_outside_todays_range_falls_back_to_its_default(client, db, demo,
                                                                          signed_in):
    """The old form allowed up to 1000 forums; such a stored value does not break the page."""
    from portal.models import Setting

    db.session.add(Setting(key="overload_min_forums", value=500))
    db.session.add(Setting(key="minutes_due_days", value=30))
    db.session.commit()
    signed_in("viewer")
    doc = client.get("/api/v1/findings").get_json()
    assert doc["settings"]["overload_min_forums"] == 6
    assert doc["settings"]["minutes_due_days"] == 30
