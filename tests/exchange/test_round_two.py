"""Second-round rules of `samverkan/1`: each new field and rule, by the located error it gives."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.exchange.validator import (
    ExchangeValidationError,
    Existing,
    StoredMeeting,
    check_document,
    validate_document,
)
from tests.exchange.validator_sample import valid_document, with_entry


def errors_of(doc: object, existing: Existing | None = None) -> list[str]:
    """The error lines validating `doc` produces (the test fails if it validates)."""
    with pytest.raises(ExchangeValidationError) as info:
        validate_document(doc, existing)
    return [str(error) for error in info.value.errors]


def entry_errors(list_name: str, **changes: object) -> list[str]:
    """The errors of the valid document plus one changed minimal entry of `list_name`."""
    return errors_of(with_entry(list_name, **changes))


def entry(doc: dict, list_name: str, key: str) -> dict:
    """The entry of a raw document with that key."""
    return next(e for e in doc[list_name] if e["key"] == key)


# --- Dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1900-01-01", True), ("2199-12-31", True), ("1899-12-31", False), ("2200-01-01", False),
     ("9999-12-31", False), ("0001-01-01", False)],
)
def test_dates_are_kept_between_1900_and_2199(value, valid):
    """Every date of the format lies in 1900-01-01..2199-12-31; outside it is located."""
    doc = with_entry("actions", due=value)
    if valid:
        assert validate_document(doc)["actions"][-1]["due"] == dt.date.fromisoformat(value)
    else:
        assert errors_of(doc) == [
            f"actions[new].due: date {value} is outside the range 1900-01-01 to 2199-12-31"]


def test_a_date_inside_a_list_field_is_checked_too():
    """An indicator value's date outside the range is located at the value."""
    doc = valid_document()
    doc["indicators"][0]["values"][1]["date"] = "2300-01-01"
    assert errors_of(doc) == [
        "indicators[i1].values[1].date: date 2300-01-01 is outside the range "
        "1900-01-01 to 2199-12-31"]


# --- Meetings ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["07:30", "00:00", "23:59"])
def test_start_is_hh_mm(start):
    """A meeting's start is two digits, a colon and two digits, kept as written."""
    assert validate_document(with_entry("meetings", start=start))["meetings"][-1]["start"] == start


@pytest.mark.parametrize("start", ["7:30", "24:00", "12:60", "07:30:00", "0730", 730, ""])
def test_start_that_is_not_hh_mm_is_refused(start):
    """`7:30`, `24:00` and the like are refused at the field."""
    errors = entry_errors("meetings", start=start)
    assert len(errors) == 1
    assert errors[0].startswith("meetings[new].start: invalid time")


@pytest.mark.parametrize(("duration", "ok"), [(1, True), (1440, True), (0, False),
                                                (1441, False), (1.5, False)])
def test_duration_is_1_to_1440_minutes(duration, ok):
    """A duration is a whole number of minutes from 1 to 1440."""
    doc = with_entry("meetings", duration=duration)
    if ok:
        assert validate_document(doc)["meetings"][-1]["duration"] == duration
    else:
        assert errors_of(doc)[0].startswith("meetings[new].duration:")


@pytest.mark.parametrize("status", ["planned", "cancelled"])
@pytest.mark.parametrize(
    ("field", "value"),
    [("present", ["p1"]), ("present", []), ("apologies", ["p1"]),
     ("minutes_approved_on", "2025-04-02"), ("minutes_approved_by", ["p1"])],
)
def test_attendance_and_minutes_only_on_a_held_meeting(status, field, value):
    """`present` (even `[]`), apologies and the minutes' approval need status `held`."""
    assert entry_errors("meetings", status=status, **{field: value}) == [
        f"meetings[new].{field}: not allowed on a {status} meeting"]


def test_a_planned_meeting_is_planned_by_default_and_may_lie_in_the_past():
    """Status defaults to planned; a planned meeting in 1990 is still valid."""
    assert validate_document(with_entry("meetings", date="1990-01-01"))["meetings"][-1][
        "status"] == "planned"


def test_present_empty_and_absent_differ():
    """`present: []` is recorded-nobody-came; absent or null is not recorded."""
    empty = validate_document(with_entry("meetings", status="held", present=[]))
    absent = validate_document(with_entry("meetings", status="held"))
    null = validate_document(with_entry("meetings", status="held", present=None))
    assert empty["meetings"][-1]["present"] == []
    assert absent["meetings"][-1]["present"] is None
    assert null["meetings"][-1]["present"] is None


def test_nobody_is_both_present_and_in_apologies():
    """A person in both lists is located at the second list, `apologies`."""
    assert entry_errors("meetings", status="held", present=["p1", "p2"],
                        apologies=["p2"]) == [
        'meetings[new].apologies: person "p2" is both present and in apologies']


def test_minutes_are_not_approved_before_the_meeting():
    """`minutes_approved_on` before `date` is refused; on the same day is fine."""
    assert entry_errors("meetings", status="held", minutes_approved_on="2025-03-31") == [
        "meetings[new].minutes_approved_on: minutes approved on 2025-03-31, "
        "before the meeting on 2025-04-01"]
    doc = with_entry("meetings", status="held", minutes_approved_on="2025-04-01")
    assert validate_document(doc)["meetings"][-1]["minutes_approved_on"] == dt.date(2025, 4, 1)


def test_people_in_the_attendance_lists_must_exist():
    """Unknown people are located inside the list, by position."""
    assert entry_errors("meetings", status="held", present=["p1", "ghost"],
                        minutes_approved_by=["nobody"]) == [
        'meetings[new].present[1]: unknown person "ghost"',
        'meetings[new].minutes_approved_by[0]: unknown person "nobody"',
    ]


def test_agenda_items_are_located_by_position():
    """An agenda item's reference is located as `meetings[k].agenda[i].field`."""
    agenda = [{"title": "Ett"}, {"title": "Två", "milestone": "ms7"},
              {"commission": "fm2025"}, {"title": "Fyra", "colour": "red"}]
    assert entry_errors("meetings", agenda=agenda) == [
        'meetings[new].agenda[1].milestone: unknown milestone "ms7"',
        "meetings[new].agenda[2].title: missing (required)",
        "meetings[new].agenda[3].colour: unknown field",
    ]


def test_people_may_repeat_between_agenda_lists_but_not_within_one():
    """A person twice in `present` is a duplicate, located at the second."""
    assert entry_errors("meetings", status="held", present=["p1", "p1"]) == [
        'meetings[new].present[1]: duplicate person "p1"']


# --- Decisions and their meetings ----------------------------------------------------------


def _decision(**changes: object) -> dict:
    return with_entry("decisions", **{"meeting": "m1", "date": "2025-02-01", **changes})


def test_a_decision_in_a_held_meeting_of_its_forum_on_its_date_is_valid():
    """The sample's m1 is a held LSG meeting on 2025-02-01."""
    assert validate_document(_decision())["decisions"][-1]["meeting"] == "m1"


def test_decision_of_another_forum_than_its_meeting():
    """The forum rule is located at `decisions[k].meeting`."""
    assert errors_of(_decision(forum="lokal")) == [
        'decisions[new].meeting: meeting "m1" is of forum "lsg", not "lokal"']


def test_decision_on_another_date_than_its_meeting():
    """The date rule is located at `decisions[k].meeting`."""
    assert errors_of(_decision(date="2025-02-02")) == [
        "decisions[new].meeting: meeting \"m1\" was held on 2025-02-01, "
        "not on the decision's date 2025-02-02"]


@pytest.mark.parametrize("status", ["planned", "cancelled"])
def test_decision_in_a_meeting_that_was_not_held(status):
    """A decision needs a held meeting."""
    doc = _decision()
    entry(doc, "meetings", "m1").update(status=status)
    for name in ("present", "apologies", "minutes_approved_on", "minutes_approved_by"):
        entry(doc, "meetings", "m1").pop(name)
    assert errors_of(doc) == [f'decisions[d1].meeting: meeting "m1" is {status}, not held',
                              f'decisions[new].meeting: meeting "m1" is {status}, not held']


def test_decision_rules_use_a_stored_meeting():
    """A meeting only in the database is checked the same way."""
    doc = with_entry("decisions", meeting="stored", date="2025-05-05")
    existing = Existing(keys={"meetings": {"stored"}},
                        meetings={"stored": StoredMeeting("hsn", "held", dt.date(2025, 5, 5))})
    assert errors_of(doc, existing) == [
        'decisions[new].meeting: meeting "stored" is of forum "hsn", not "lsg"']


def test_decision_documents_must_exist_without_duplicates():
    """Decision documents are document keys, each at most once."""
    assert entry_errors("decisions", documents=["plan", "plan", "x"]) == [
        'decisions[new].documents[1]: duplicate document "plan"',
        'decisions[new].documents[2]: unknown document "x"',
    ]


def test_a_decision_key_that_a_stored_draft_has_is_refused():
    """Importing over a draft's key answers a located error (issue 15, item 7)."""
    existing = Existing(keys={}, draft_decisions=frozenset({"new"}))
    assert errors_of(with_entry("decisions"), existing) == [
        'decisions[new].key: the key "new" belongs to a draft decision in the portal: import '
        "the decision under another key, or finish the draft in the portal"]


def test_milestones_are_decided_by_final_decisions_only():
    """`decided_by` naming a stored draft says so; an unknown key is unknown."""
    existing = Existing(keys={}, draft_decisions=frozenset({"draft1"}))
    assert errors_of(with_entry("milestones", decided_by=["d1", "draft1", "nope"]), existing) == [
        'milestones[new].decided_by[1]: decision "draft1" is a draft; only final decisions '
        "can be named here",
        'milestones[new].decided_by[2]: unknown decision "nope"',
    ]


def test_a_stored_final_decision_may_come_again_only_unchanged():
    """The same decision passes; another title is refused at the entry."""
    doc = valid_document()
    stored = validate_document(valid_document())["decisions"][0]
    existing = Existing(keys={}, records={"decisions": {"d1": stored}})
    validate_document(doc, existing)
    entry(doc, "decisions", "d1")["title"] = "Annat"
    assert errors_of(doc, existing) == [
        "decisions[d1]: is a final decision and cannot be changed; correct it in the portal "
        "(a new version) or import the change under a new key"]


# --- Status reports and risks ---------------------------------------------------------------


def test_status_report_is_a_record():
    """A stored status report may come again unchanged (lists' order and absent = null)."""
    stored = validate_document(valid_document())["status_reports"][0]
    existing = Existing(keys={}, records={"status_reports": {"sr1": stored}})
    doc = valid_document()
    validate_document(doc, existing)
    entry(doc, "status_reports", "sr1")["light"] = "off_track"
    assert errors_of(doc, existing) == ["status_reports[sr1]: is a record and cannot change"]


def test_status_report_absent_comment_equals_null():
    """Content is compared after the format's rules: an absent comment equals null."""
    stored = validate_document(with_entry("status_reports"))["status_reports"][-1]
    existing = Existing(keys={}, records={"status_reports": {"new": stored}})
    validate_document(with_entry("status_reports", comment=None), existing)


@pytest.mark.parametrize("light", ["green", "", None])
def test_status_report_light_is_required_and_known(light):
    """`light` is one of on_track, at_risk, off_track."""
    errors = entry_errors("status_reports", light=light)
    assert len(errors) == 1 and errors[0].startswith("status_reports[new].light:")


@pytest.mark.parametrize(("field", "value"), [("likelihood", 0), ("likelihood", 6),
                                              ("consequence", 2.5), ("consequence", None)])
def test_risk_scores_are_1_to_5(field, value):
    """Likelihood and consequence are required integers 1–5."""
    errors = entry_errors("risks", **{field: value})
    assert len(errors) == 1 and errors[0].startswith(f"risks[new].{field}:")


def test_risk_status_defaults_to_open():
    """An absent status is `open`."""
    assert validate_document(with_entry("risks"))["risks"][-1]["status"] == "open"


# --- Documents ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://example.org", "javascript:alert(1)", "ftp://x",
                                 "https://", "HTTPS://example.org", "https://a b"])
def test_document_url_must_be_https(url):
    """Only https:// addresses; anything else is an error at the field."""
    errors = entry_errors("documents", url=url)
    assert len(errors) == 1
    assert errors[0].startswith("documents[new].url: invalid address")


def test_document_parent_cycle_is_located_at_the_parent():
    """A document may not be its own ancestor; every document on the cycle is named."""
    doc = valid_document()
    entry(doc, "documents", "plan")["parent"] = "direktiv"
    assert errors_of(doc) == [
        'documents[plan].parent: document "plan" is its own ancestor: plan -> direktiv -> plan',
        'documents[direktiv].parent: document "direktiv" is its own ancestor: '
        "direktiv -> plan -> direktiv",
    ]


def test_document_parent_cycle_through_the_database():
    """A stored document's parent counts too."""
    existing = Existing(keys={"documents": {"old"}}, document_parents={"old": "new"})
    assert errors_of(with_entry("documents", parent="old"), existing) == [
        'documents[new].parent: document "new" is its own ancestor: new -> old -> new']


def test_document_kind_is_required():
    """`kind` is one of the listed kinds."""
    assert entry_errors("documents", kind="memo")[0].startswith("documents[new].kind:")


# --- Commissions, forums, milestones, indicators -------------------------------------------------


def test_owner_named_as_co_owner_is_located_at_co_owners():
    """Naming the owner among the co-owners is located at `commissions[k].co_owners`."""
    assert entry_errors("commissions", owner="lsg", co_owners=["lokal", "lsg"]) == [
        'commissions[new].co_owners: forum "lsg" is the owner and cannot also be a co-owner']


def test_co_owners_and_directive_must_exist():
    """Co-owners are forums, the directive a document."""
    assert entry_errors("commissions", co_owners=["x"], directive="y") == [
        'commissions[new].co_owners[0]: unknown forum "x"',
        'commissions[new].directive: unknown document "y"',
    ]


def test_on_behalf_of_is_located_inside_the_member():
    """`forums[k].members[i].on_behalf_of[j]` names the place of an unknown organisation."""
    members = [{"person": "p1", "role": "member"},
               {"person": "p2", "role": "member", "on_behalf_of": ["umea", "x", "umea"]}]
    assert entry_errors("forums", members=members) == [
        'forums[new].members[1].on_behalf_of[1]: unknown organisation "x"',
        'forums[new].members[1].on_behalf_of[2]: duplicate organisation "umea"',
    ]


def test_on_behalf_of_may_name_the_persons_own_organisation():
    """Naming one's own organisation is allowed and changes nothing."""
    members = [{"person": "p1", "role": "member", "on_behalf_of": ["rv"]}]
    validate_document(with_entry("forums", members=members))


def test_scope_is_a_list_of_organisations():
    """A forum's scope names organisations, each once."""
    assert entry_errors("forums", scope=["umea", "umea", "q"]) == [
        'forums[new].scope[1]: duplicate organisation "umea"',
        'forums[new].scope[2]: unknown organisation "q"',
    ]


def test_indicator_values_per_organisation():
    """One value per date and organisation; region-wide and per organisation may share a date."""
    values = [{"date": "2025-01-01", "value": 1},
              {"date": "2025-01-01", "value": 2, "organisation": "umea"},
              {"date": "2025-01-01", "value": 3, "organisation": "rv"},
              {"date": "2025-01-01", "value": 4, "organisation": "umea"},
              {"date": "2025-01-01", "value": 5},
              {"date": "2025-01-02", "value": 6, "organisation": "nowhere"}]
    assert entry_errors("indicators", values=values) == [
        'indicators[new].values[3].organisation: duplicate value for 2025-01-01 and '
        'organisation "umea"',
        "indicators[new].values[4].date: duplicate date 2025-01-01",
        'indicators[new].values[5].organisation: unknown organisation "nowhere"',
    ]


def test_indicator_provenance_fields():
    """definition, source, target_source are text; higher_is_better a bool, true by default."""
    got = validate_document(with_entry("indicators", definition="D", source="S",
                                       target_source="LSG"))["indicators"][-1]
    assert (got["definition"], got["source"], got["target_source"],
            got["higher_is_better"]) == ("D", "S", "LSG", True)
    assert entry_errors("indicators", higher_is_better="no") == [
        'indicators[new].higher_is_better: expected true or false, got "no"']


def test_unknown_fields_inside_nested_objects_are_errors():
    """Members, values and agenda items refuse unknown fields like any entry."""
    doc = valid_document()
    doc["forums"][0]["members"][0]["deputy"] = "p2"
    doc["indicators"][0]["values"][0]["note"] = "x"
    assert errors_of(doc) == [
        "forums[lsg].members[0].deputy: unknown field",
        "indicators[i1].values[0].note: unknown field",
    ]


def test_errors_are_structured():
    """Each error carries list, ref, field, code and params besides its text."""
    _doc, errors = check_document(with_entry("forums", reports_to="xyz"))
    assert [(e.list, e.ref, e.field, e.code, dict(e.params)) for e in errors] == [
        ("forums", "new", "reports_to", "unknown", {"target": "forums", "key": "xyz"})]
    assert str(errors[0]) == 'forums[new].reports_to: unknown forum "xyz"'
