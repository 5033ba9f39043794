"""The coverage matrix: principals (and hospital care) × focus areas."""

from __future__ import annotations

from portal.analysis.core import analyze
from portal.findings.services import map_document
from portal.map.coverage import coverage_matrix, hospital_units
from tests.map.helpers import small_map


def _counts(matrix) -> dict[str, dict[str, int]]:
    return {row.key: {a["key"]: row.count(a["key"]) for a in matrix.areas} for row in matrix.rows}


def test_counts_follow_parent_organisations_on_a_small_map():
    """A member counts for their organisation's principal; hospital care is its own row."""
    matrix = coverage_matrix(small_map())
    assert [(r.key, r.kind) for r in matrix.rows] == [
        ("reg", "region"), ("reg-sjh", "hospital"), ("norr", "municipality"),
        ("soder", "municipality")]
    assert _counts(matrix) == {
        "reg": {"digi": 0, "kont": 2, "rehab": 2},
        "reg-sjh": {"digi": 0, "kont": 1, "rehab": 2},  # Bo works at the university hospital
        "norr": {"digi": 0, "kont": 2, "rehab": 2},  # through Vård och omsorg and Eva
        "soder": {"digi": 0, "kont": 2, "rehab": 0},
    }
    assert not matrix.covered("digi")
    assert matrix.rows[3].gaps == 1  # Söderby in rehab; digi has no forum, so is no gap
    assert matrix.rows[3].cells["kont"] == ["lonely", "top"]


def test_hospital_care_is_found_by_name_below_a_region():
    """The topmost hospital unit below a region is the row, not the hospitals under it."""
    organisations = {o["key"]: o for o in small_map()["organisations"]}
    assert hospital_units(organisations) == ["reg-sjh"]


def test_demo_matrix_agrees_with_the_missing_principal_findings(db, demo):
    """Åsele is in rehabilitation through LSG; no 0 in a covered area, so no finding."""
    doc = map_document()
    matrix = coverage_matrix(doc)
    counts = _counts(matrix)
    assert counts["asele"]["rehab"] == 1  # LSG
    assert counts["rv"]["kontinuitet"] > 0
    assert [r.key for r in matrix.rows][:2] == ["rv", "rv-sjukhusvarden"]
    missing = {(f["organisation"], f["area"]) for f in analyze(doc)["findings"]
               if f["kind"] == "missing_principal"}
    zeros = {(row.key, area) for row in matrix.rows if row.kind != "hospital"
             for area in row.cells if matrix.covered(area) and not row.cells[area]}
    assert zeros == missing == set()
