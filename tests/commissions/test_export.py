"""The Excel export of a commission's actions: it opens, holds the actions, runs no formulas."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.commissions import services
from portal.commissions.export import neutralise
from tests.commissions.conftest import COMMISSION, in_english

HEADER = ["Key", "Action", "Owner (person)", "Owner (forum)", "Focus areas", "Due", "Status",
          "Progress (%)", "Recommendation"]


def _sheet(client):
    response = client.get(f"/uppdrag/{COMMISSION}/atgarder.xlsx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert f'filename="{COMMISSION}-atgarder.xlsx"' in response.headers["Content-Disposition"]
    return load_workbook(BytesIO(response.data)).active


def test_the_workbook_holds_the_demo_actions(client, as_role, commission):
    """A header row, then one row per action of the commission, with its values."""
    as_role("viewer")
    in_english(client)
    sheet = _sheet(client)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    by_key = {row[0]: row for row in rows[1:]}
    assert set(by_key) == {a.key for a in commission.actions}
    plan = by_key["a25-implementeringsplan"]
    assert plan[2] == "Anna Lundmark"
    assert plan[5].date().isoformat() == "2025-09-30"
    assert plan[6] == "Planned" and plan[7] == 0
    assert plan[8].startswith("Vidareutveckla befintliga samverkansytor")
    assert by_key["a25-bestallning"][2] == "Mikael Hellström"


def test_a_formula_in_a_title_is_neutralised(client, as_role, users, commission):
    """A title like =HYPERLINK("x") is written as text, prefixed with an apostrophe."""
    evil = services.create_action(users["commission_lead"], commission,
                                  title='=HYPERLINK("http://x.example","klicka")', progress=0)
    as_role("viewer")
    in_english(client)
    sheet = _sheet(client)
    row = next(r for r in sheet.iter_rows() if r[0].value == evil.key)
    assert row[1].value == "'=HYPERLINK(\"http://x.example\",\"klicka\")"
    assert row[1].data_type == "s"
    assert not any(cell.data_type == "f" for r in sheet.iter_rows() for cell in r)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    """Whatever a spreadsheet would run becomes plain text."""
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Plan", "", "a=b", 5, None])
def test_other_values_are_left_alone(value):
    """Ordinary text, numbers and empty cells pass unchanged."""
    assert neutralise(value) == value


def test_characters_a_workbook_cannot_hold_are_dropped():
    """Control characters would break the file; they are removed."""
    assert neutralise("Plan\x0b 2026") == "Plan 2026"
