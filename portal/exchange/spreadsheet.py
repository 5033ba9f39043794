"""People, forum memberships and indicator values from .xlsx or CSV, as a partial document.

Pure: bytes in, rows and a document out; no Flask and no database, so it is tested alone.
Formulas are never evaluated (openpyxl cannot) and are refused rather than imported as text.

A workbook is read as a stream (openpyxl's read-only mode) with its declared size ignored: a
sheet that claims `A1:XFD1048576` would otherwise have every row padded to 16,384 cells. At
most `MAX_COLUMNS` columns and `MAX_ROWS` rows are read, empty rows included, and the whole
read stops after `PARSE_SECONDS` (the deadline is checked on every read of the package's bytes
and every row), so no upload keeps a worker busy for long.

Errors are data until the edge: a `CellError` holds an English template and its params, which
`CellError.text` words through a gettext function (the web page's or a catalogue's).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal.exchange.codes import N_, render
from portal.exchange.schema import FORMAT
from portal.exchange.validator import ExchangeError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000  # rows after the header, empty ones included
MAX_COLUMNS = 26  # columns read per row (A-Z); the widest sheet has five
PARSE_SECONDS = 10.0  # the whole read of one upload, workbook or CSV
MAX_UNPACKED = 100 * 1024 * 1024  # a zip bomb stops here, before openpyxl reads it
COLUMNS = {
    "people": ("key", "name", "organisation", "title", "email"),
    "memberships": ("forum", "person", "role"),
    "values": ("indicator", "organisation", "date", "value"),
}
KINDS = tuple(COLUMNS)
SHEETS = {"people": "people", "personer": "people",
          "memberships": "memberships", "medlemskap": "memberships",
          "values": "values", "varden": "values", "värden": "values",
          "indikatorvarden": "values", "indikatorvärden": "values"}
VALUE_RE = re.compile(r"values\[(\d+)\](?:\.(date|value|organisation))?")
MEMBER_RE = re.compile(r"members\[(\d+)\](?:\.(person|role))?")
NOT_XLSX = N_("the file is not an .xlsx workbook (save it as 'Excel Workbook (.xlsx)')")
REPEATS = N_("repeats row %(row)s")
MACROS = N_("workbooks with macros are not accepted; save as .xlsx")


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class CellError:
    """One problem, located by sheet, row and column where known.

    `message` is an English template filled with `params`; `code` is set instead when the
    problem is the validator's (its code's template, see `portal.exchange.codes`).
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    code: str | None = None

    def text(self, gettext: Callable[[str], str] = _same) -> str:
        """`sheet, row 3, column name: what is wrong`, worded by `gettext`."""
        if self.code is not None:
            message = render(self.code, self.params, gettext)
        else:
            message = gettext(self.message) % self.params
        parts = [self.sheet]
        if self.row:
            parts.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(gettext("column %(column)s") % {"column": self.column})
        where = ", ".join(str(part) for part in parts if part)
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.text()


class SpreadsheetError(ValueError):
    """A spreadsheet that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class Table:
    """The data rows of one sheet: (row number, {column: text or None})."""

    kind: str
    sheet: str
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)


def dump_tables(tables: dict[str, Table]) -> bytes:
    """The rows read from an upload as JSON, kept for its confirmation (read once, not twice)."""
    return json.dumps({kind: {"sheet": t.sheet, "rows": t.rows} for kind, t in tables.items()},
                      ensure_ascii=False).encode("utf-8")


def load_tables(data: bytes) -> dict[str, Table]:
    """The rows `dump_tables` kept, as they were read."""
    return {kind: Table(kind, t["sheet"], [(number, row) for number, row in t["rows"]])
            for kind, t in json.loads(data).items() if kind in COLUMNS}


def read_upload(data: bytes, filename: str, kind: str | None = None,
                seconds: float = PARSE_SECONDS) -> dict[str, Table]:
    """Read an uploaded .xlsx (both kinds by sheet name) or CSV (of the given kind).

    :raise SpreadsheetError: for a file that cannot be read, is too large or too slow to read
        (more than `seconds`), with every problem located where possible.
    """
    if len(data) > MAX_BYTES:
        raise _fail(N_("the file is larger than %(mb)d MB"), mb=MAX_BYTES // (1024 * 1024))
    deadline = Deadline(seconds)
    name = (filename or "").lower()
    if name.endswith(".csv"):
        if kind not in COLUMNS:
            raise _fail(N_("choose what the CSV file holds"))
        return {kind: read_csv(data, kind, deadline)}
    if name.endswith(".xlsx"):
        return read_xlsx(data, deadline)
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise _fail(MACROS)
    raise _fail(N_("only .xlsx and .csv files can be imported"))


class Deadline:
    """The time one upload may take to read; `check` refuses once it has passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self, sheet: str | None = None, row: int | None = None) -> None:
        """:raise SpreadsheetError: when the time is up, naming where the reading had got to."""
        if time.monotonic() >= self.at:
            raise SpreadsheetError([CellError(
                sheet, row, None, N_("the file took longer than %(seconds)s seconds to read; "
                                     "nothing was imported. Remove empty or formatted rows and "
                                     "columns below and to the right of the data, or split the "
                                     "file"), {"seconds": f"{self.seconds:g}"})])


class _TimedBytes(io.BytesIO):
    """The package's bytes; every read checks the deadline, so no step of openpyxl (shared
    strings, styles, a sheet's XML) can run on past it."""

    def __init__(self, data: bytes, deadline: Deadline) -> None:
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1) -> bytes:
        self.deadline.check()
        return super().read(size)


def read_csv(data: bytes, kind: str, deadline: Deadline | None = None) -> Table:
    """Read CSV text in UTF-8 (with or without BOM), separated by `;` or `,`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(N_("the file is not UTF-8 text; save it as 'CSV UTF-8'")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def rows() -> Iterator[list]:
        try:
            for row in reader:
                yield [value or None for value in row[:MAX_COLUMNS + 1]]
        except csv.Error as exc:
            raise _fail(N_("invalid CSV near line %(line)s: %(detail)s"),
                        line=reader.line_num, detail=str(exc)) from None

    return _table(kind, kind, rows(), deadline or Deadline(PARSE_SECONDS))


def read_xlsx(data: bytes, deadline: Deadline | None = None) -> dict[str, Table]:
    """Read the sheets of an .xlsx workbook as a stream, without running anything."""
    deadline = deadline or Deadline(PARSE_SECONDS)
    _check_package(data)
    try:
        from openpyxl import load_workbook  # slow to import: only when a workbook comes in

        book = load_workbook(_TimedBytes(data, deadline), read_only=True, data_only=False,
                             keep_links=False)
    except SpreadsheetError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken package
        raise _fail(NOT_XLSX) from None
    tables: dict[str, Table] = {}
    try:
        for sheet in book.worksheets:
            kind = SHEETS.get(sheet.title.strip().lower())
            if kind in tables:
                raise _fail(N_("more than one sheet of %(kind)s"), kind=kind)
            if kind:
                # The declared size is the file's claim, not its content: ignore it, and read
                # one column more than may hold data, to see a value outside the columns.
                sheet.reset_dimensions()
                rows = ([_cell(value) for value in row] for row in
                        sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
                tables[kind] = _table(kind, sheet.title, rows, deadline)
    finally:
        book.close()
    if not tables:
        raise _fail(N_("no sheet named people, personer, memberships, medlemskap, values or "
                       "värden"))
    return tables


def _check_package(data: bytes) -> None:
    """Refuse anything but a plain, reasonably sized xlsx package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(NOT_XLSX) from None
    if "xl/workbook.xml" not in names or not types:
        raise _fail(NOT_XLSX)
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _fail(MACROS)
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise _fail(N_("the workbook is too large when unpacked"))


def _cell(value: object) -> object:
    """A cell's value as plain data; formulas stay as their text (starting with `=`)."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if value is None or isinstance(value, str):
        return value
    return "=" + type(value).__name__  # an array or table formula: refused below


def _table(kind: str, sheet: str, rows: Iterable, deadline: Deadline) -> Table:
    """Check the header row and collect the data rows of one sheet.

    Every row counts toward `MAX_ROWS`, empty ones too: skipping them first would let a file
    of empty rows run for as long as it likes.
    """
    errors: list[CellError] = []
    table = Table(kind, sheet)
    rows = iter(rows)
    header = [_text(v) for v in next(rows, [])]
    while header and header[-1] is None:
        header.pop()
    names = [(h or "").lower() for h in header]
    for number, name in enumerate(names, start=1):
        if not name:
            errors.append(CellError(sheet, 1, None, N_("column %(number)d has no heading"),
                                    {"number": number}))
        elif name not in COLUMNS[kind]:
            errors.append(CellError(sheet, 1, name, N_("unknown column")))
    for name in COLUMNS[kind]:
        if name not in names:
            errors.append(CellError(sheet, 1, name, N_("missing column")))
    if errors:
        raise SpreadsheetError(errors)
    for number, values in enumerate(rows, start=2):
        deadline.check(sheet, number)
        if number > MAX_ROWS + 1:
            raise _fail(N_("too many rows (at most %(limit)s, empty rows included)"), sheet,
                        limit=MAX_ROWS)
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        if any(texts[len(names):]):
            errors.append(CellError(sheet, number, None,
                                    N_("a value outside the header columns")))
        row = dict(zip(names, texts, strict=False))
        for name, value in row.items():
            if value is not None and value.startswith("="):
                errors.append(CellError(sheet, number, name, N_("formulas are not accepted")))
        table.rows.append((number, {name: row.get(name) for name in COLUMNS[kind]}))
    if errors:
        raise SpreadsheetError(errors)
    return table


def _text(value: object) -> str | None:
    """Trimmed text, or None for an empty cell."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _fail(message: str, sheet: str | None = None, **params: object) -> SpreadsheetError:
    """An error about the file (or a sheet) as a whole."""
    return SpreadsheetError([CellError(sheet, None, None, message, params)])


# --- Rows to a document ---------------------------------------------------------------------


@dataclass
class Plan:
    """The document to import and where each of its entries came from."""

    document: dict
    people_rows: dict[str, tuple[str, int]] = field(default_factory=dict)
    seat_rows: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    value_rows: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


def build_plan(tables: dict[str, Table], stored: dict) -> Plan:
    """Turn the rows into people entries and stored forums with their seats added or changed.

    Rows that cannot go into the document are listed in `errors`; the rest is still built,
    so the validator can report every other problem in the same pass.
    """
    plan = Plan({"format": FORMAT})
    errors = plan.errors
    if "people" in tables:
        people = plan.document["people"] = []
        first: dict[str, int] = {}
        for number, row in tables["people"].rows:
            key, sheet = row["key"] or "", tables["people"].sheet
            if key in first:
                errors.append(CellError(sheet, number, "key", REPEATS, {"row": first[key]}))
                continue
            first[key] = number
            plan.people_rows[key] = plan.people_rows[f"#{len(people)}"] = (sheet, number)
            people.append(dict(row))
    if "memberships" in tables:
        plan.document["forums"] = _forums(tables["memberships"], stored, plan, errors)
    if "values" in tables:
        plan.document["indicators"] = _indicators(tables["values"], stored, plan, errors)
    return plan


def _number(text: str) -> float | None:
    """A number as written in a cell: `4,5`, `4.5`, `56 470` or `−2`; None when it is not one."""
    cleaned = "".join(text.split()).replace("\u2212", "-").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _indicators(table: Table, stored: dict, plan: Plan, errors: list) -> list[dict]:
    """The named stored indicators with the rows' values added, or replaced on the same date
    and organisation (an empty organisation is the whole region)."""
    indicators = {i["key"]: i for i in stored.get("indicators", [])}
    touched: dict[str, dict] = {}
    seen: dict[tuple[str, str, str | None], int] = {}
    for number, row in table.rows:
        for column in ("indicator", "date", "value"):
            if row[column] is None:
                errors.append(CellError(table.sheet, number, column, N_("required")))
        key, on, org = row["indicator"], row["date"], row["organisation"]
        if key is None or on is None or row["value"] is None:
            continue
        if key not in indicators:
            errors.append(CellError(table.sheet, number, "indicator",
                                    N_('unknown indicator "%(key)s"'), {"key": key}))
            continue
        value = _number(row["value"])
        if value is None:
            errors.append(CellError(table.sheet, number, "value",
                                    N_("not a number, e.g. 4,5 or 56 470")))
            continue
        if (key, on, org) in seen:
            errors.append(CellError(table.sheet, number, "date", REPEATS,
                                    {"row": seen[key, on, org]}))
            continue
        seen[key, on, org] = number
        entry = touched.setdefault(key, {**indicators[key], "values": [
            {k: v for k, v in dict(item).items() if v is not None}
            for item in indicators[key]["values"]]})
        values = entry["values"]
        index = next((i for i, v in enumerate(values)
                      if str(v["date"]) == on and v.get("organisation") == org), len(values))
        item = {"date": on, "value": value}
        if org is not None:
            item["organisation"] = org
        if index == len(values):
            values.append(item)
        values[index] = item
        plan.value_rows[key, index] = (table.sheet, number)
    return list(touched.values())


def _forums(table: Table, stored: dict, plan: Plan, errors: list) -> list[dict]:
    """The named stored forums with the rows' seats merged into their members."""
    forums = {f["key"]: f for f in stored.get("forums", [])}
    touched: dict[str, dict] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, row in table.rows:
        for column in COLUMNS["memberships"]:
            if row[column] is None:
                errors.append(CellError(table.sheet, number, column, N_("required")))
        forum, person = row["forum"], row["person"]
        if forum is None or person is None or row["role"] is None:
            continue
        if forum not in forums:
            errors.append(CellError(table.sheet, number, "forum", N_('unknown forum "%(key)s"'),
                                    {"key": forum}))
            continue
        if (forum, person) in seen:
            errors.append(CellError(table.sheet, number, "person", REPEATS,
                                    {"row": seen[forum, person]}))
            continue
        seen[forum, person] = number
        entry = touched.setdefault(forum, {**forums[forum],
                                           "members": [dict(m) for m in forums[forum]["members"]]})
        members = entry["members"]
        index = next((i for i, m in enumerate(members) if m["person"] == person), len(members))
        if index == len(members):
            members.append({"person": person, "role": row["role"]})
        members[index]["role"] = row["role"]
        plan.seat_rows[forum, index] = (table.sheet, number)
    return list(touched.values())


def locate(errors: list[ExchangeError], plan: Plan) -> list[CellError | ExchangeError]:
    """The plan's own errors and the validator's, pointed at their sheet row and column."""
    located: list[CellError | ExchangeError] = list(plan.errors)
    for error in errors:
        place, column = None, None
        if error.list == "people" and error.ref in plan.people_rows:
            place = plan.people_rows[error.ref]
            column = error.field if error.field in COLUMNS["people"] else None
        elif error.list == "forums" and error.field:
            match = MEMBER_RE.fullmatch(error.field)
            if match and (error.ref, int(match.group(1))) in plan.seat_rows:
                place = plan.seat_rows[error.ref, int(match.group(1))]
                column = match.group(2) or "person"
        elif error.list == "indicators" and error.field:
            match = VALUE_RE.fullmatch(error.field)
            if match and (error.ref, int(match.group(1))) in plan.value_rows:
                place = plan.value_rows[error.ref, int(match.group(1))]
                column = match.group(2) or "date"
        located.append(CellError(place[0], place[1], column, error.message, dict(error.params),
                                 error.code) if place else error)
    return sorted(located, key=lambda e: getattr(e, "row", None) or 0)


def changes(doc: dict, stored: dict) -> dict[str, list]:
    """What importing the normalized document would create or change, for the preview."""
    people = {p["key"]: p for p in stored.get("people", [])}
    result: dict[str, list] = {"new_people": [], "changed_people": [],
                               "new_seats": [], "changed_roles": [],
                               "new_values": [], "changed_values": []}
    for person in doc.get("people", []):
        before = people.get(person["key"])
        if before is None:
            result["new_people"].append(person)
        elif any(before.get(c) != person.get(c) for c in COLUMNS["people"]):
            fields = [c for c in COLUMNS["people"] if before.get(c) != person.get(c)]
            result["changed_people"].append({"after": person, "before": before, "fields": fields})
    forums = {f["key"]: f for f in stored.get("forums", [])}
    for forum in doc.get("forums", []):
        roles = {m["person"]: m["role"] for m in forums[forum["key"]]["members"]}
        for member in forum["members"]:
            seat = {"forum": forum["key"], **member}
            if member["person"] not in roles:
                result["new_seats"].append(seat)
            elif roles[member["person"]] != member["role"]:
                result["changed_roles"].append({**seat, "before": roles[member["person"]]})
    indicators = {i["key"]: i for i in stored.get("indicators", [])}
    org_names = {o["key"]: o["name"] for o in stored.get("organisations", [])}
    for indicator in doc.get("indicators", []):
        before = {(str(v["date"]), v.get("organisation")): v["value"]
                  for v in indicators[indicator["key"]]["values"]}
        for item in indicator["values"]:
            place = (str(item["date"]), item.get("organisation"))
            row = _value_row(indicator, item, place, org_names)
            if place not in before:
                result["new_values"].append(row)
            elif before[place] != item["value"]:
                result["changed_values"].append({**row, "before": before[place]})
    return result


def _value_row(indicator: dict, item: dict, place: tuple, org_names: dict) -> dict:
    """One value as the preview lists it: keys, and the names a reader knows them by."""
    return {"indicator": indicator["key"], "indicator_name": indicator.get("name"),
            "date": date.fromisoformat(place[0]), "organisation": place[1],
            "organisation_name": org_names.get(place[1]) if place[1] else None,
            "value": item["value"]}
