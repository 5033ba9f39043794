"""Workbooks made to keep a worker busy are read quickly or refused, and read only once."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from sqlalchemy import select

from portal.exchange import spreadsheet
from portal.exchange.spreadsheet import MAX_ROWS, SpreadsheetError, read_upload
from portal.models import Person
from tests.spreadsheet.test_spreadsheet_import import _confirm, _upload, _xlsx, seeded  # noqa: F401

HEADER = ["key", "name", "organisation", "title", "email"]


def _hostile(empty_rows: int = 0, last_row: int | None = None) -> bytes:
    """A people workbook with one real row whose sheet claims the largest size a sheet can
    have, followed by `empty_rows` empty rows (and, when given, one empty row far below)."""
    plain = _xlsx({"people": [HEADER, ["cia", "Cia Lund", "rvb", None, None]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                xml = data.decode()
                xml, count = re.subn(r'<dimension ref="[^"]*"\s*/>',
                                     '<dimension ref="A1:XFD1048576"/>', xml)
                assert count == 1
                rows = "".join(f'<row r="{n}"/>' for n in range(3, 3 + empty_rows))
                if last_row:
                    rows += f'<row r="{last_row}"/>'
                xml = xml.replace("</sheetData>", rows + "</sheetData>")
                data = xml.encode()
            target.writestr(info, data)
    return out.getvalue()


def test_a_declared_huge_sheet_with_empty_rows_is_read_quickly(monkeypatch):
    """The sheet's claimed size is ignored: its one row comes back, and no row is padded to
    the claimed 16,384 columns (counted cell by cell, so a busy machine cannot decide; before
    the fix 2,000 empty rows took 12.7 s, 16,384 cells each)."""
    from portal.exchange import spreadsheet

    cells = []
    read_cell = spreadsheet._cell
    monkeypatch.setattr(spreadsheet, "_cell", lambda value: cells.append(1) or read_cell(value))
    content = _hostile(empty_rows=2_000)
    assert len(content) < 20_000
    tables = read_upload(content, "people.xlsx")
    assert len(cells) <= 2_002 * (spreadsheet.MAX_COLUMNS + 1)
    assert [row for _, row in tables["people"].rows] == [
        {"key": "cia", "name": "Cia Lund", "organisation": "rvb", "title": None,
         "email": None}]


@pytest.mark.parametrize(("empty_rows", "last_row"), [
    (MAX_ROWS + 10, None),  # empty rows written out
    (0, 1_048_576),  # one row far below: openpyxl makes up every row in between
])
def test_empty_rows_count_toward_the_row_limit(empty_rows, last_row):
    """Empty rows count: a sheet of more rows than the limit is refused at the limit (the
    time budget, tested below, is set out of the way so that a busy machine cannot decide)."""
    content = _hostile(empty_rows=empty_rows, last_row=last_row)
    with pytest.raises(SpreadsheetError) as refused:
        read_upload(content, "people.xlsx", seconds=3600)
    assert str(refused.value) == (f"people: too many rows (at most {MAX_ROWS}, "
                                  "empty rows included)")


def test_a_csv_of_empty_lines_counts_them_too():
    """The same limit holds for CSV: empty lines are rows."""
    content = b"key;name;organisation;title;email\n" + b";;;;\n" * (MAX_ROWS + 1)
    with pytest.raises(SpreadsheetError, match="too many rows"):
        read_upload(content, "people.csv", "people")


def test_too_many_rows_is_located_and_translated_on_the_page(db, client, signed_in, seeded):  # noqa: F811
    """The admin reads why, in Swedish, and nothing is imported."""
    signed_in("admin")
    response = _upload(client, _hostile(last_row=1_048_576), "people.xlsx")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"people: för många rader (högst {MAX_ROWS}, tomma rader medräknade)" in page
    assert db.session.scalar(select(Person).where(Person.key == "cia")) is None


def test_a_read_over_its_time_is_stopped_with_a_translated_message(
        app, db, client, signed_in, seeded):  # noqa: F811
    """The whole read has a time budget; past it the upload is refused, saying so."""
    app.config["SPREADSHEET_PARSE_SECONDS"] = 0
    signed_in("admin")
    response = _upload(client, _hostile(empty_rows=10), "people.xlsx")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "det tog längre än 0 sekunder att läsa filen; ingenting importerades" in page
    assert db.session.scalar(select(Person).where(Person.key == "cia")) is None


def test_the_budget_also_stops_a_sheet_midway():
    """A budget that runs out while rows are read names the sheet and the row reached."""
    deadline = spreadsheet.Deadline(60)
    rows = iter([HEADER, *([[None] * 5] * 50)])

    def slow_rows():
        for number, row in enumerate(rows, start=1):
            if number == 30:
                deadline.at = time.monotonic() - 1  # as if the reading had taken a minute
            yield row

    with pytest.raises(SpreadsheetError) as refused:
        spreadsheet._table("people", "people", slow_rows(), deadline)
    assert str(refused.value).startswith("people, row 30: the file took longer than 60 seconds")


def test_confirm_imports_what_the_preview_read_without_reading_the_file_again(
        db, client, signed_in, seeded, monkeypatch):  # noqa: F811
    """The rows read for the preview are the rows confirmed: the file is parsed once."""
    signed_in("admin")
    page = _upload(client, _hostile(empty_rows=5), "people.xlsx").get_data(as_text=True)
    assert "Cia Lund" in page

    def parsed_again(*args, **kwargs):
        raise AssertionError("the confirmation parsed the file again")

    import openpyxl

    from portal.exchange import routes

    for owner, name in ((spreadsheet, "read_upload"), (spreadsheet, "read_xlsx"),
                        (spreadsheet, "read_csv"), (routes, "read_upload"),
                        (openpyxl, "load_workbook")):
        monkeypatch.setattr(owner, name, parsed_again)
    assert _confirm(client, page).status_code == 303
    assert db.session.scalar(select(Person.name).where(Person.key == "cia")) == "Cia Lund"


def test_a_preview_that_kept_the_file_instead_of_its_rows_is_refused_not_read(
        app, db, client, signed_in, seeded, tmp_path):  # noqa: F811
    """A confirmation whose stash holds a workbook (as previews made before this version did)
    asks for a new upload: the file is never parsed at confirmation."""
    import hashlib

    from portal.exchange import routes
    from tests.helpers import csrf_token
    from tests.spreadsheet.test_spreadsheet_import import CONFIRM

    admin = signed_in("admin")
    content = _xlsx({"people": [HEADER, ["cia", "Cia Lund", "rvb", None, None]]})
    (tmp_path / "spreadsheets").mkdir(exist_ok=True)
    (tmp_path / "spreadsheets" / f"{'a' * 32}.upload").write_bytes(content)
    with app.app_context():
        token = routes._serializer(routes.SPREADSHEET_SALT).dumps({
            "id": "a" * 32, "sha256": hashlib.sha256(content).hexdigest(), "name": "p.xlsx",
            "kind": None, "user": str(admin.id), "version": None})
    response = client.post(CONFIRM, data={"csrf_token": csrf_token(client, "/"), "token": token})
    assert response.status_code == 400
    assert db.session.scalar(select(Person).where(Person.key == "cia")) is None
