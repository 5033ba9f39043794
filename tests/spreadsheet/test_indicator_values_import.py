"""Indicator values from a spreadsheet: a row per organisation and date, preview, errors."""

from __future__ import annotations

import html
import json
import re

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
    for error in ("värden, rad 2, kolumn indicator: okänd indikator ”nope”",
                  "värden, rad 3, kolumn organisation: okänd organisation",
                  "värden, rad 4, kolumn date:", "värden, rad 5, kolumn value: inte ett tal",
                  "värden, rad 7, kolumn date: upprepar rad 6"):
        assert error in html.unescape(page), error
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 2
    assert db.session.scalar(select(Indicator.key)) == "flk"


def test_the_preview_names_what_will_be_created_and_changed(db, client, signed_in, seeded):
    """Each new and changed value is listed by indicator and organisation name, with the
    date, and a changed one with the value before and after."""
    signed_in("admin")
    page = html.unescape(_upload(client, ROWS, "varden.csv", kind="values").get_data(
        as_text=True))
    new = page[page.index("Nya indikatorvärden (2)"):].split("</table>")[0]
    assert "<td>Andel med fast läkarkontakt</td><td>Åsele kommun</td><td>30 apr 2026</td>" in new
    assert "<td>hela regionen</td><td>30 apr 2026</td><td class=\"num\">20</td>" in new
    changed = page[page.index("Ändrade indikatorvärden (1)"):].split("</table>")[0]
    assert ("<td>Umeå kommun</td><td>31 jan 2024</td><td class=\"num\">9</td>"
            "<td class=\"num\">9,5</td>") in changed


def test_errors_are_worded_in_english_too(db, client, signed_in, seeded):
    """The same errors, located the same way, in English for a reader who chose English."""
    from tests.decisions.conftest import in_english

    signed_in("admin")
    page = client.get("/admin/utbyte/kalkylblad").get_data(as_text=True)
    in_english(client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1))
    rows = (b"indicator;organisation;date;value\nnope;umea;2025-01-31;1\n"
            b"flk;umea;2025-01-31;mycket\nflk;;2025-01-31;1\nflk;;2025-01-31;2\n"
            b"flk;nowhere;2025-01-31;1\n")
    response = _upload(client, rows, "varden.csv", kind="values")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for error in ('values, row 2, column indicator: unknown indicator "nope"',
                  "values, row 3, column value: not a number, e.g. 4,5 or 56 470",
                  "values, row 5, column date: repeats row 4",
                  "values, row 6, column organisation: unknown organisation"):
        assert error in page, error
    header = _upload(client, b"indicator;org;date;value\n", "v.csv", kind="values")
    text = header.get_data(as_text=True)
    assert "values, row 1, column org: unknown column" in text
    assert "values, row 1, column organisation: missing column" in text


def test_every_spreadsheet_message_is_in_both_catalogues():
    """Each message the spreadsheet reader can give has a Swedish and an English entry."""
    from pathlib import Path

    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    source = root / "portal" / "exchange" / "spreadsheet.py"
    messages = [m[1] for m in extract_from_file("python", str(source), keywords={"N_": None})]
    assert len(messages) > 20
    for lang in ("sv", "en"):
        path = root / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        missing = [m for m in messages if catalogue.get(m) is None
                   or (lang == "sv" and not catalogue.get(m).string)]
        assert missing == [], lang
