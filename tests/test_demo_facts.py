"""The demo checked against facts taken from the five source documents (portal/demo/SOURCES.md).

Each assertion names the document and line it rests on; a demo edit that contradicts the
documents fails here.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from portal import ROOT
from portal.analysis.index import is_open
from portal.demo.loader import demo_text


@pytest.fixture(scope="module")
def doc():
    return json.loads(demo_text())


def _by(doc, name):
    return {entry["key"]: entry for entry in doc.get(name, [])}


def _indicator_values(doc, key):
    values = _by(doc, "indicators")[key]["values"]
    return {(v["date"], v.get("organisation")): v["value"] for v in values}


def test_named_gp_share_and_count_are_the_reports_figures(doc):
    """001:73 — 10 % (about 28,000) in January 2024, 20 % (56,470) in April 2026; no target."""
    share = _by(doc, "indicators")["fast-lakarkontakt-andel"]
    count = _indicator_values(doc, "fast-lakarkontakt-antal")
    assert _indicator_values(doc, "fast-lakarkontakt-andel") == {
        ("2024-01-31", None): 10, ("2026-04-30", None): 20}
    assert count == {("2024-01-31", None): 28000, ("2026-04-30", None): 56470}
    assert "target" not in share and "target_source" not in share
    assert "listningssystemet" in share["definition"].lower()


def test_agency_nurse_cost_and_st_posts(doc):
    """001:157 — agency nurses 4.5 MSEK lower in 2025, doctors unchanged; a third of ST posts."""
    assert _indicator_values(doc, "hyrsjukskoterskor-kostnad") == {("2025-12-31", None): -4.5}
    assert _indicator_values(doc, "hyrlakare-kostnad") == {("2025-12-31", None): 0}
    assert _by(doc, "indicators")["hyrsjukskoterskor-kostnad"]["higher_is_better"] is False
    assert _indicator_values(doc, "st-tjanster-primarvard") == {("2025-12-31", None): 33}


def test_continuity_index_names_its_source_and_marks_illustrative_values(doc):
    """001:77-88 — Ko05L from PrimärvårdsKvalitet, 0–1; the report gives only a picture."""
    ko05l = _by(doc, "indicators")["ko05l"]
    assert "PrimärvårdsKvalitet" in ko05l["source"] and "illustrativ" in ko05l["source"]
    assert all(0 <= v["value"] <= 1 and v.get("organisation") for v in ko05l["values"])


def test_2025_directive_milestones(doc):
    """003:99-103, 003:135-140 — BP0 in CLG 2024-11-18, BP1 2024-12-17 in HSN and RS, MS1 June,
    BP2 end of October, BP3 2025-10-31; MS1 is a status check with no invented light."""
    ms = {m["code"]: m for m in doc["milestones"] if m["commission"] == "fm2025-uppdragil3"}
    decisions = _by(doc, "decisions")
    assert ms["BP0"]["done_on"] == "2024-11-18"
    assert [decisions[k]["forum"] for k in ms["BP0"]["decided_by"]] == ["clg"]
    assert ms["BP1"]["due"] == "2024-12-17"
    bp1_forums = {decisions[k]["forum"]: decisions[k]["date"] for k in ms["BP1"]["decided_by"]}
    assert bp1_forums == {"hsn": "2024-12-17", "rs": "2024-12-17"}
    assert ms["MS1"]["due"] == "2025-06-30" and "done_on" not in ms["MS1"]
    assert ms["BP2"]["due"] == "2025-10-31"
    assert ms["BP3"]["due"] == "2025-10-31"
    assert not [r for r in doc.get("status_reports", []) if r["commission"] == "fm2025-uppdragil3"]


def test_2025_commission_went_to_hsn_and_rs_and_has_its_directive(doc):
    """003:9, 003:42, 003:176 — to HSN and RS; the directive dated 2024-11-18; its risk
    section is empty (003:115-117)."""
    c = _by(doc, "commissions")["fm2025-uppdragil3"]
    assert c["owner"] == "hsn" and c["co_owners"] == ["rs"]
    directive = _by(doc, "documents")[c["directive"]]
    assert directive["kind"] == "directive" and directive["date"] == "2024-11-18"
    assert not [r for r in doc.get("risks", []) if r["commission"] == "fm2025-uppdragil3"]
    # the prerequisites are not recommendations (003:29-35, 003:75-83)
    texts = " ".join(r["text"] for r in doc["recommendations"])
    assert "invånarperspektiv" not in texts and "organisatoriskt stöd" not in texts


def test_2025_commission_members_include_the_hospital_side(doc):
    """003:125 — områdeschefer NSVU, NSV Skellefteå and LSO2; LSO 2 is county hospital care."""
    people, orgs = _by(doc, "people"), _by(doc, "organisations")
    members = _by(doc, "commissions")["fm2025-uppdragil3"]["members"]
    lso2 = [p for p in members if people[p]["organisation"] == "rv-lso2"]
    assert lso2, "the LSO 2 area manager is a member"
    assert orgs["rv-lso2"]["parent"] == "rv-sjukhusvarden"
    assert "länssjukvårdsområde" in orgs["rv-lso2"]["name"].lower()


def test_sub_activities_have_the_directives_owners_and_dates(doc):
    """003:142-150 — three sub-activities: the lead (March 2025), OC NSV Umeå (September 2025,
    one action, not split), Beställarenheten (September 2025)."""
    people = _by(doc, "people")
    acts = [a for a in doc["actions"] if a.get("commission") == "fm2025-uppdragil3"]
    assert len(acts) == 3
    by_due = sorted((a["due"], people[a["owner_person"]]["title"]) for a in acts)
    assert by_due[0] == ("2025-03-31", people["emma-holmstrom"]["title"])
    assert {title for _, title in by_due[1:]} == {"Områdeschef NSV Umeå",
                                                    "Strateg Beställarenheten"}
    assert all(due == "2025-09-30" for due, _ in by_due[1:])


def test_2024_commission_given_by_rf_and_its_report_approved(doc):
    """000:5-11, 000:68-72 — given by the council; RF decides "Rapporten godkänns"."""
    c = _by(doc, "commissions")["fm2024-samspel"]
    assert c["owner"] == "rf" and "co_owners" not in c
    approval = [d for d in doc["decisions"]
                if d["forum"] == "rf" and d["title"] == "Rapporten godkänns"]
    assert len(approval) == 1
    report = _by(doc, "documents")[approval[0]["documents"][0]]
    assert report["kind"] == "report"


def test_teleq_is_region_wide_with_invanartjanster(doc):
    """001:100 — TeleQ updated for all receptions incl. hospitals and dental care."""
    teleq = _by(doc, "actions")["a-teleq"]
    assert _by(doc, "people")[teleq["owner_person"]]["organisation"] == "rv-invanartjanster"
    assert "Skellefteå" not in teleq["title"]


LEAD = "Samordnare för samverkan nära vård Södra Lappland, uppdragsledare"
ORDERING_STRATEGIST = "Strateg Beställarenheten"

# Every action of the demo: the document and line it rests on, words of its title, its owner
# (a forum key, a person's title, or None) and how the owner is known: "named" by the document
# for the action, "derived" from the document's own statement of whose the area is (the line
# of that statement last), or "none" (the document names none, so the demo gives none;
# portal/demo/SOURCES.md, "silent").
ACTIONS = {
    "a24-kartlaggning": ("000", 45, "kartlägga", LEAD, "derived", ("000", 81)),
    "a24-nav-definition": ("000", 37, "definition", LEAD, "derived", ("000", 81)),
    "a25-gemensam-plan": ("003", 145, "gemensamma planen", LEAD, "named", None),
    "a25-implementeringsplan": ("003", 146, "implementeringsplan", "Områdeschef NSV Umeå",
                                "named", None),
    "a25-bestallning": ("003", 150, "beställning", ORDERING_STRATEGIST, "named", None),
    "a-hv-nav": ("002", 135, "nav", ORDERING_STRATEGIST, "derived", ("003", 150)),
    "a-hv-grunduppdrag": ("002", 143, "grunduppdrag", ORDERING_STRATEGIST, "derived",
                          ("003", 150)),
    "a-hv-styrdokument": ("002", 151, "roller och ansvar", ORDERING_STRATEGIST, "derived",
                          ("003", 150)),
    "a-hv-indikatorer": ("001", 61, "indikatorer", ORDERING_STRATEGIST, "derived",
                         ("003", 150)),
    "a-prio-fast-lakarkontakt": ("001", 71, "prioriteringsdokument", "lg-hc-lan", "named", None),
    "a-fasta-kontakter-sip": ("001", 71, "fasta kontakter och sip", None, "none", None),
    "a-kompetensplan-allmanspecialister": ("001", 73, "kompetensförsörjningsplan",
                                           "ag-kompetensplan", "named", None),
    "a-hemsjukvardslakare-umea": ("001", 75, "hemsjukvårdsläkare", None, "none", None),
    "a-aldresjukskoterskor": ("001", 75, "äldresjuksköterskor", None, "none", None),
    "a-digitala-lakarkontakter-sabo": ("001", 75, "digitala läkarkontakter", None, "none", None),
    "a-basutbud-invanartjanster": ("001", 96, "basutbud", None, "none", None),
    "a-teleq": ("001", 100, "teleq", "Enhetschef Invånartjänster", "named", None),
    "a-vhu-lss": ("001", 108, "vhu", None, "none", None),
    "a-far": ("001", 110, "fysisk aktivitet på recept", None, "none", None),
    "a-levnadsvanestod": ("001", 110, "levnadsvanestöd", None, "none", None),
    "a-hemrehabilitering": ("001", 122, "hemrehabilitering", None, "none", None),
    "a-primo": ("001", 124, "primo", None, "none", None),
    "a-multimodal-rehab": ("001", 124, "multimodal rehabilitering", None, "none", None),
    "a-dokumenterad-overenskommelse": ("001", 132, "dokumenterad överenskommelse", None, "none",
                                       None),
    "a-utbildning-personcentrering": ("001", 132, "personcentrering", None, "none", None),
    "a-plan-halsa-vard-omsorg": ("001", 141, "planen för hälsa, vård och omsorg", "lsg",
                                 "derived", ("003", 69)),
    "a-lifecare-utskrivning": ("001", 143, "lifecare", None, "none", None),
    "a-sip-barnets-plan": ("001", 145, "barnets plan", None, "none", None),
    "a-hyrpersonal": ("001", 157, "inhyrd personal", "hsf-lg", "derived", ("003", 56)),
    "a-st-tjanster": ("001", 157, "st-tjänster", None, "none", None),
    "a-chefsutbildning": ("001", 157, "chefsutbildningar", None, "none", None),
    "a-video-ambulans": ("001", 173, "konsultationsstöd för ambulans", None, "none", None),
}


def _owner(doc, action):
    """An action's owner as ACTIONS states it: a forum key, a person's title, or None."""
    if action.get("owner_forum"):
        return action["owner_forum"]
    if action.get("owner_person"):
        return _by(doc, "people")[action["owner_person"]]["title"]
    return None


def test_every_action_rests_on_a_line_of_a_document(doc):
    """No action in the demo without its document, line and the owner that line gives."""
    assert set(_by(doc, "actions")) == set(ACTIONS)


def test_actions_have_only_the_owners_the_documents_name_or_imply(doc):
    """001:71-173 — the 2025 report says which initiatives are in place (home-care doctors in
    Umeå, VHU for people under LSS, documented agreement, the basic e-service offer, SIP –
    Barnets plan, a third of ST posts, ...) but not whose they are. None gets an invented
    owner, and none is an open action without one (the analysis would call it unowned: an
    artefact of the demo). An owner the report does not name is kept only where a document
    says whose the area is (003:56 operations are HSN's administration's; 003:69 joint plans
    go via LSG; 003:150 the order is Beställarenheten's; 000:81 the 2024 report's lead)."""
    actions = _by(doc, "actions")
    for key, (_document, _line, words, owner, _how, _area) in ACTIONS.items():
        action = actions[key]
        assert words in action["title"].lower(), key
        assert _owner(doc, action) == owner, key
        assert owner is not None or not is_open(action), key


def test_what_the_2025_report_shows_in_place_is_done(doc):
    """001:96, 108, 122, 132, 143, 145, 157 — implemented, introduced, carried out, in place:
    done; what the report says is still to come or going on stays open (001:71 "ska
    implementeras", 001:73 "inlett", 001:141 "ska implementeras under 2026", 001:157 "har
    fortsatt")."""
    actions = _by(doc, "actions")
    done = ["a-basutbud-invanartjanster", "a-vhu-lss", "a-hemrehabilitering",
            "a-dokumenterad-overenskommelse", "a-utbildning-personcentrering",
            "a-lifecare-utskrivning", "a-sip-barnets-plan", "a-st-tjanster",
            "a-fasta-kontakter-sip"]
    assert [k for k in done if actions[k]["status"] != "done"] == []
    still_open = ["a-prio-fast-lakarkontakt", "a-kompetensplan-allmanspecialister",
                  "a-plan-halsa-vard-omsorg", "a-hyrpersonal"]
    assert [k for k in still_open if not is_open(actions[k])] == []


def test_sources_cite_each_action_and_say_which_owners_are_silent():
    """SOURCES.md gives each action its line (and, for a derived owner, the line saying whose
    the area is); the actions whose owner the document does not name are in the silent part."""
    text = (ROOT / "portal" / "demo" / "SOURCES.md").read_text(encoding="utf-8")
    table, silent = text.split("## Where the documents are silent")
    for key, (document, line, _words, _owner, how, area) in ACTIONS.items():
        row = next(r for r in table.splitlines() if f"`{key}`" in r)
        cited = set(_cited(row))
        assert (document, line) in cited, key
        assert area is None or area in cited, key
        assert (f"`{key}`" in silent) is (how != "named"), key


def test_document_hierarchy_road_map_to_joint_plan(doc):
    """003:46, 001:185 — the road map is made concrete by the joint plan; the six-point
    definition is a document of its own (002:91-131)."""
    docs = _by(doc, "documents")
    assert docs["plan-halsa-vard-omsorg"]["parent"] == "fardplan-2030"
    assert docs["gemensam-plan-pv"]["parent"] == "fardplan-2030"
    nav = docs["primarvard-som-nav"]
    assert nav["kind"] == "definition" and nav["summary"].count(")") >= 6


def test_lsg_covers_all_fifteen_municipalities_and_representatives_act_for_them(doc):
    """000:26-28, 004:261 — LSG is where the region and all 15 municipalities meet; the
    representatives LSG appointed act for all municipalities."""
    orgs, people = _by(doc, "organisations"), _by(doc, "people")
    municipalities = {k for k, o in orgs.items() if o["kind"] == "municipality"}
    assert len(municipalities) == 15
    lsg = _by(doc, "forums")["lsg"]
    assert {people[m["person"]]["organisation"] for m in lsg["members"]} >= municipalities
    plan_group = {m["person"]: m for m in _by(doc, "forums")["gp-primarvard"]["members"]}
    acting = set(plan_group["jessica-nyberg"]["on_behalf_of"]) | {"lycksele"}
    assert acting == municipalities


def test_no_forum_claims_a_meeting_frequency_the_documents_do_not_give(doc):
    """No document says how often a forum meets."""
    assert not [f["key"] for f in doc["forums"] if f.get("meets")]


def test_meetings_are_marked_illustrative(doc):
    """The meetings are illustrative (the documents record none) and say so."""
    assert doc["meetings"]
    assert all("illustrativ" in m["title"].lower() for m in doc["meetings"])
    held = [date.fromisoformat(m["date"]) for m in doc["meetings"] if m["status"] == "held"]
    assert max(held) < date(2026, 12, 7)  # later meetings are planned, never held


# How many lines each source document has (shared/seeds/00N_*.txt). The documents are not in
# the repository, so a cited line's words cannot be checked here; a reference past a
# document's end is caught (BP1 was once cited at line 199 of the 187 of 003).
DOCUMENT_LINES = {"000": 99, "001": 195, "002": 184, "003": 187, "004": 302}
NUMBERS = r"\d+(?:[-–]\d+)?(?:, \d+(?:[-–]\d+)?\b(?!:))*"  # "000:5-11, 68" but not ", 000:68"


def _cited(text: str) -> list[tuple[str, int]]:
    """Every (document, line) cited as `003:101`, `001:75, 110` or a table's `| 003 | 9, 42 |`."""
    cited = []
    for pattern in (rf"\b(00[0-4]):({NUMBERS})", rf"[|;] (00[0-4]) \| ({NUMBERS})(?= \||;)"):
        for document, numbers in re.findall(pattern, text):
            cited += [(document, int(n)) for n in re.findall(r"\d+", numbers)]
    return cited


@pytest.mark.parametrize("path", ["portal/demo/SOURCES.md", "docs/demo-findings.md",
                                  "tests/test_demo_facts.py"])
def test_cited_lines_lie_inside_their_documents(path):
    """Every line the sources, the findings' reasons and these tests cite exists."""
    cited = _cited((ROOT / path).read_text(encoding="utf-8"))
    assert cited
    outside = [f"{d}:{n}" for d, n in cited if not 1 <= n <= DOCUMENT_LINES[d]]
    assert not outside, outside


def _sources() -> str:
    return (ROOT / "portal" / "demo" / "SOURCES.md").read_text(encoding="utf-8")


def _forum_rows() -> dict[str, str]:
    """SOURCES.md's forum table: each forum key → its row."""
    section = _sources().split("## Forums", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for row in section.splitlines():
        if row.startswith("| `"):
            for key in re.findall(r"`([a-z0-9-]+)`", row.split(" | ")[0]):
                rows[key] = row
    return rows


def _illustrative_forums() -> set[str]:
    return {key for key, row in _forum_rows().items() if "**illustrative**" in row}


# The findings that come from the illustrative meetings (labelled so on docs/demo-findings.md).
MEETING_KINDS = {"absent_principal", "inactive_member", "dormant_forum", "unapproved_minutes"}


def _findings(doc):
    from portal.analysis.core import analyze

    return analyze(doc, date(2025, 11, 1))["findings"]


def test_every_forum_is_named_in_a_document_or_listed_as_illustrative(doc):
    """Each forum has its row in SOURCES.md: the line that names it, or "illustrative" with
    the lines describing the work it does (the home-rehabilitation network and the SIP group,
    named nowhere, are gone: 001:108, 122, 145)."""
    rows = _forum_rows()
    forums = set(_by(doc, "forums"))
    assert forums == set(rows)
    assert [key for key in forums if not _cited(rows[key])] == []
    assert not {"hemrehab-natverk", "sip-barnets-plan"} & forums


def test_no_finding_from_the_documents_rests_on_an_illustrative_forum(doc):
    """Outside the participation findings of the illustrative meetings, no finding names a
    forum the documents do not name."""
    illustrative = _illustrative_forums()
    assert illustrative  # the local groups at least (001:132, 153)
    leaning = []
    for finding in _findings(doc):
        if finding["kind"] in MEETING_KINDS:
            continue
        named = [finding.get("forum"), *finding.get("forums", ()), *finding.get("cut_off", ())]
        leaning += [(finding["kind"], key) for key in named if key in illustrative]
    assert leaning == []


def test_no_person_level_finding_rests_on_invented_seats(doc):
    """No document says who sits in which forum (000:81-86 and 003:121-125 name commission
    members), so no person is a single point of failure or overloaded in the demo."""
    kinds = {f["kind"] for f in _findings(doc)}
    assert not kinds & {"single_point_of_failure", "overloaded_person"}


def test_documents_have_only_the_owners_the_documents_give(doc):
    """001:71 "Fasta kontakter och SIP" and 001:149-151 the HLT agreement are county-wide, with
    no owner named; the prioritisation document is the health-centre management's (001:71)."""
    docs, forums = _by(doc, "documents"), _by(doc, "forums")
    assert "owner" not in docs["fasta-kontakter-sip"]
    assert "owner" not in docs["overenskommelse-hlt"]
    assert docs["prioritering-fast-lakarkontakt"]["owner"] == "lg-hc-lan"
    assert all(d["owner"] in forums for d in docs.values() if "owner" in d)


def test_a_decision_date_the_documents_do_not_give_is_marked_illustrative(doc):
    """001:71 says only "under hösten": the decision's day is illustrative, in the autumn."""
    decision = _by(doc, "decisions")["lg-hc-lan-2025-10-prioritering"]
    assert date(2025, 9, 1) <= date.fromisoformat(decision["date"]) < date(2025, 11, 1)
    row = next(r for r in _sources().splitlines() if "`lg-hc-lan-2025-10-prioritering`" in r)
    assert "**illustrative**" in row and ("001", 71) in _cited(row)


def test_the_contribution_to_the_joint_plan_is_done_because_the_plan_was_finished(doc):
    """003:145 the lead contributes to the joint plan for primary care (March 2025); 001:141 the
    joint plan with the 15 municipalities was finished in 2025: the same plan (SOURCES.md says
    why), so the sub-activity is done."""
    assert _by(doc, "actions")["a25-gemensam-plan"]["status"] == "done"
    row = next(r for r in _sources().splitlines()
               if "`a25-gemensam-plan` is done" in r)
    assert {("001", 141), ("003", 145), ("003", 23)} <= set(_cited(row))


def test_every_document_owner_is_cited(doc):
    """A document's owner is the one SOURCES.md cites a line for; the rest have none."""
    section = _sources().split("## Document owners", 1)[1].split("\n## ", 1)[0]
    rows = {key: row for row in section.splitlines() if row.startswith("| `")
            for key in re.findall(r"`([a-z0-9-]+)`", row.split(" | ")[0])}
    for key, document in _by(doc, "documents").items():
        row = rows[key]
        assert _cited(row), key
        if "owner" in document:
            assert f"`{document['owner']}`" in row.split(" | ")[1], key
        else:
            assert "**no owner**" in row, key
