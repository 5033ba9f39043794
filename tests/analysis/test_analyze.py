import datetime
import json
from fractions import Fraction

import pytest

from portal.analysis.core import DEFAULT_SETTINGS, KINDS, analyze, validate_settings
from tests.analysis.helpers import AS_OF, findings, forum, make_doc


def sample_map():
    """A map with at least one finding of every kind."""
    return make_doc(
        organisations=[
            {"key": "rv", "name": "Region Västerbotten", "kind": "region", "principal": True},
            {"key": "dorotea", "name": "Dorotea kommun", "principal": True},
        ],
        people=[
            {"key": "p1", "name": "Anna Exempel", "organisation": "rv"},
            {"key": "p2", "name": "Berit Prov", "organisation": "rv"},
        ],
        areas=[
            {"key": "rehab", "name": "Habiliterande och rehabiliterande arbete"},
            {"key": "landsbygd", "name": "Landsbygd"},
        ],
        forums=[
            forum("lsg", ["p1", "p2"], ["rehab"], name="Länssamverkansgruppen", apex=True),
            forum("rsg", ["p1", "p2"], ["rehab"], name="Regional samordningsgrupp"),
            forum("lpo", ["p1"], ["rehab"], name="LPO rehab", reports_to="lpo"),
            *(forum(f"ag{i}", ["p1"], ["rehab"], reports_to="lsg") for i in range(4)),
            forum("x1", ["p3"], ["rehab"], reports_to="lsg"),
        ],
        commissions=[{"key": "c1", "title": "UPPDRAGiL 3.0"}],
        milestones=[{"key": "c1-bp3", "code": "BP3", "title": "Leverans", "due": "2025-10-31"}],
        recommendations=[{"key": "r1", "text": "Stärk primärvården som nav"}],
        actions=[
            {"key": "a1", "title": "Inför fast vårdkontakt", "due": "2025-10-01"},
            {"key": "a2", "title": "SIP i glesbygd", "owner_forum": "lpo",
             "areas": ["landsbygd"]},
        ],
        meetings=[
            *({"key": f"lsg-{month}", "forum": "lsg", "date": f"2025-{month:02}-01",
               "status": "held", "present": []} for month in range(6, 10)),
            {"key": "rsg-1", "forum": "rsg", "date": "2025-01-01", "status": "held"},
        ],
    )


def test_output_document_has_the_contract_shape():
    """The findings document has format, as-of date, effective settings and findings."""
    result = analyze(sample_map(), AS_OF)
    assert list(result) == ["format", "as_of", "settings", "findings"]
    assert result["format"] == "samverkan-findings/1"
    assert result["as_of"] == "2025-11-01"
    assert result["settings"] == DEFAULT_SETTINGS
    assert json.loads(json.dumps(result)) == result


def test_findings_come_in_table_order_with_every_kind_present():
    """Kinds appear in the order of the table in analysis.md."""
    kinds = [f["kind"] for f in findings(sample_map())]
    assert sorted(set(kinds), key=KINDS.index) == list(KINDS)
    assert kinds == sorted(kinds, key=KINDS.index)


def test_every_finding_has_its_subject_keys_and_a_message():
    """Each finding names its subject exactly as the table does and carries a message."""
    subject = {
        "parallel_structure": {"forums"}, "uncovered_area": {"area"},
        "missing_principal": {"organisation", "area"}, "orphan_forum": {"forum"},
        "reporting_cycle": {"forums"}, "single_point_of_failure": {"person"},
        "overloaded_person": {"person"}, "unowned_action": {"action"},
        "owner_without_mandate": {"action"}, "stalled_recommendation": {"recommendation"},
        "overdue_milestone": {"milestone"}, "overdue_action": {"action"},
        "absent_principal": {"organisation", "forum", "meetings", "attended"},
        "inactive_member": {"person", "forum", "last_present"},
        "dormant_forum": {"forum", "last_held"}, "unapproved_minutes": {"meeting", "days"},
    }
    for finding in analyze(sample_map(), AS_OF)["findings"]:
        assert subject[finding["kind"]] <= set(finding)
        assert finding["message"]


def test_messages_are_swedish_by_default_and_name_entities_by_name():
    """Messages use names, not keys, and switch language with ``lang``."""
    sv = {f["kind"]: f["message"] for f in analyze(sample_map(), AS_OF)["findings"]}
    en = {f["kind"]: f["message"] for f in analyze(sample_map(), AS_OF, lang="en")["findings"]}
    assert "Dorotea kommun" in sv["missing_principal"]
    assert "Habiliterande och rehabiliterande arbete" in sv["missing_principal"]
    assert "huvudman" in sv["missing_principal"]
    assert "principal" in en["missing_principal"]
    assert "Länssamverkansgruppen" in sv["parallel_structure"]
    assert "parallella strukturer" in sv["parallel_structure"]
    assert "rapporterar till sig självt" in sv["reporting_cycle"]
    assert "reports to itself" in en["reporting_cycle"]
    assert "BP3 Leverans" in sv["overdue_milestone"]
    assert "UPPDRAGiL 3.0" in sv["overdue_milestone"]
    assert "1 dag " in sv["overdue_milestone"]
    assert "1 day " in en["overdue_milestone"]
    assert "Anna Exempel (Region Västerbotten)" in sv["overloaded_person"]
    assert all(sv[kind] != en[kind] for kind in sv)


def test_same_map_in_another_list_order_gives_the_same_findings():
    """Findings do not depend on the order of the lists in the document."""
    doc = sample_map()
    shuffled = {name: list(reversed(items)) if isinstance(items, list) else items
                for name, items in doc.items()}
    for forum_entry in shuffled["forums"]:
        forum_entry["members"] = list(reversed(forum_entry["members"]))
    assert analyze(shuffled, AS_OF) == analyze(doc, AS_OF)


def test_settings_defaults_and_overrides():
    """Missing settings take their defaults; given ones are shown in the output."""
    assert validate_settings(None) == DEFAULT_SETTINGS
    result = analyze(make_doc(), AS_OF, {"overload_min_forums": 2})
    assert result["settings"] == {**DEFAULT_SETTINGS, "overload_min_forums": 2}
    shown = analyze(make_doc(), AS_OF, {"parallel_min_overlap": Fraction(1, 4)})["settings"]
    assert shown["parallel_min_overlap"] == 0.25


@pytest.mark.parametrize(
    "settings, named",
    [
        ({"parallel_min_overlap": 0}, "parallel_min_overlap"),
        ({"parallel_min_overlap": 1.01}, "parallel_min_overlap"),
        ({"parallel_min_overlap": -0.5}, "parallel_min_overlap"),
        ({"parallel_min_overlap": float("nan")}, "parallel_min_overlap"),
        ({"parallel_min_overlap": "0.5"}, "parallel_min_overlap"),
        ({"parallel_min_overlap": True}, "parallel_min_overlap"),
        ({"overload_min_forums": 0}, "overload_min_forums"),
        ({"overload_min_forums": 2.5}, "overload_min_forums"),
        ({"overload_min_forums": True}, "overload_min_forums"),
        ({"overload_min_forums": "6"}, "overload_min_forums"),
        ({"overlap": 0.5}, "overlap"),
    ],
)
def test_invalid_settings_raise_value_error_naming_the_setting(settings, named):
    """Out-of-range, wrongly typed or unknown settings are refused, naming the setting."""
    with pytest.raises(ValueError, match=named):
        analyze(make_doc(), AS_OF, settings)


def test_boundary_settings_are_accepted():
    """An overlap of exactly 1 and an overload threshold of 1 are valid."""
    result = analyze(make_doc(), AS_OF, {"parallel_min_overlap": 1, "overload_min_forums": 1})
    assert result["settings"] == {**DEFAULT_SETTINGS, "parallel_min_overlap": 1.0,
                                  "overload_min_forums": 1}


def test_unknown_language_is_refused():
    """Only sv and en are supported."""
    with pytest.raises(ValueError, match="lang"):
        analyze(make_doc(), AS_OF, lang="de")


def test_plain_document_with_absent_optional_fields_is_read():
    """Absent lists and absent optional fields (status, due, members) take their defaults."""
    doc = {
        "format": "samverkan/1",
        "forums": [{"key": "f1", "name": "F", "kind": "working_group", "level": "local"}],
        "actions": [{"key": "a1", "title": "T", "due": datetime.date(2025, 1, 1)}],
    }
    assert [(f["kind"], f.get("forum") or f.get("action")) for f in findings(doc)] == [
        ("orphan_forum", "f1"),
        ("unowned_action", "a1"),
        ("overdue_action", "a1"),
    ]


def test_as_of_defaults_to_today_in_stockholm():
    """Without an as-of date the analysis uses today's date."""
    result = analyze(make_doc(), None)
    today = datetime.date.today()
    assert result["as_of"] in {
        (today + datetime.timedelta(days=delta)).isoformat() for delta in (-1, 0, 1)
    }


def test_empty_map_has_no_findings():
    """An empty map gives an empty findings list."""
    assert analyze(make_doc(), AS_OF)["findings"] == []


def test_setting_given_as_none_takes_its_default():
    """None means "not given", as for optional fields in the exchange format."""
    result = analyze(make_doc(), AS_OF, {"parallel_min_overlap": None, "overload_min_forums": 3})
    assert result["settings"] == {**DEFAULT_SETTINGS, "overload_min_forums": 3}


def test_cycle_through_an_apex_has_its_own_message():
    """A cycle that includes an apex says that even the top body reports into it."""
    doc = make_doc(
        forums=[forum("f1", name="Styrgruppen", apex=True, reports_to="f2"),
                forum("f2", name="Arbetsgruppen", reports_to="f1")]
    )
    (finding,) = analyze(doc, AS_OF)["findings"]
    assert finding["kind"] == "reporting_cycle"
    assert finding["message"].startswith(
        "Forumen rapporterar till varandra i en cirkel: ”Styrgruppen” → ”Arbetsgruppen” → "
        "”Styrgruppen”. Även toppforumet"
    )
