"""Indicator values from a spreadsheet: a row per organisation and date, preview, errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.models import AuditEntry, Indicator, IndicatorValue
from tests.spreadsheet.test_spreadsheet_import import _confirm, _upload, _xlsx

SEED = {
    "format": "samverkan/1",
    "organisations": [
        {"key": "rvb", "name": "Region Västerbotten", "kind": "region", "principal": True},
        {"key": "umea", "name": "Umeå kommun", "kind": "municipality", "principal": True},
        {"key": "asele", "name": "Åsele kommun", "kind": "municipality", "principal": True}],
    "indicators": [{"key": "flk", "name": "Andel med fast läkarkontakt", "unit": "%",
                    "values": [{"date": "2024-01-31", "value": 10},
                               {"date": "2024-01-31", "value": 9, "organisation": "umea"}]}],
}


@pytest.fixture
def seeded(app, db, tmp_path):
    from portal.exchange.services import import_text

    app.config["SPREADSHEET_STASH_DIR"] = str(tmp_path)
    import_text(json.dumps(SEED), None)


def _values(db) -> dict:
    rows = db.session.execute(select(IndicatorValue)).scalars().all()
    return {(v.measured_on.isoformat(), v.organisation.key if v.organisation else None): v.value
            for v in rows}


ROWS = (b"indicator;organisation;date;value\n"
        b"flk;umea;2024-01-31;9,5\n"
        b"flk;asele;2026-04-30;21\n"
        b"flk;;2026-04-30;20\n")


def test_csv_previews_new_and_changed_values_then_imports(db, client, signed_in, seeded):
    """The preview lists new values and the changed one; confirming writes them, audited."""
    signed_in("admin")
    response = _upload(client, ROWS, "varden.csv", kind="values")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Nya indikatorvärden (2)" in page and "Ändrade indikatorvärden (1)" in page
    assert "hela regionen" in page
    assert len(_values(db)) == 2  # nothing written by the preview
    assert _confirm(client, page).status_code == 303
    assert _values(db) == {("2024-01-31", None): 10, ("2024-01-31", "umea"): 9.5,
                           ("2026-04-30", "asele"): 21, ("2026-04-30", None): 20}
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()[-1]
    assert entry.data["source"] == "spreadsheet"


def test_errors_are_located_by_row_and_column(db, client, signed_in, seeded):
    """Unknown indicator, unknown organisation, a bad date, text as value, a repeated row."""
    signed_in("admin")
    book = _xlsx({"värden": [
        ["indicator", "organisation", "date", "value"],
        ["nope", "umea", "2025-01-31", 1],
        ["flk", "nowhere", "2025-01-31", 1],
        ["flk", "umea", "2025-02-30", 1],
        ["flk", "asele", "2025-01-31", "mycket"],
        ["flk", "umea", "2025-03-31", 2],
        ["flk", "umea", "2025-03-31", 3],
    ]})
    response = _upload(client, book, "varden.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for where in ("värden, rad 2, kolumn indicator", "värden, rad 3, kolumn organisation",
                  "värden, rad 4, kolumn date", "värden, rad 5, kolumn value",
                  "värden, rad 7, kolumn date"):
        assert where in page, where
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 2
    assert db.session.scalar(select(Indicator.key)) == "flk"
