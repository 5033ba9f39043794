"""People, forum memberships and indicator values from .xlsx or CSV, as a partial document.

Pure: bytes in, rows and a document out; no Flask and no database, so it is tested alone.
Formulas are never evaluated (openpyxl cannot) and are refused rather than imported as text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.exchange.codes import N_
from portal.exchange.schema import FORMAT
from portal.exchange.validator import ExchangeError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
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
MACROS = N_("workbooks with macros are not accepted; save as .xlsx")


@dataclass(frozen=True)
class CellError:
    """One problem, located by sheet, row and column where known.

    `message` is an English template (a message id of the catalogues, see `MESSAGES`) filled
    with `params`; a validator error pointed at its cell keeps its `cause`, which words it.
    `str()` is English; `portal.exchange.messages.cell_error_text` words it in a language.
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    params: dict = field(default_factory=dict, compare=False)
    cause: ExchangeError | None = field(default=None, compare=False)

    def text(self, translate=lambda text: text, describe=None) -> str:
        """`sheet, row 3, column date: what is wrong`, through `translate` (gettext).

        `describe(cause)` words a validator error (its message in English by default).
        """
        parts = [self.sheet,
                 self.row and translate(ROW) % {"row": self.row},
                 self.column and translate(COLUMN) % {"column": self.column}]
        where = ", ".join(str(part) for part in parts if part)
        if self.cause is not None:
            message = describe(self.cause) if describe else self.cause.message
        else:
            message = translate(self.message) % self.params if self.params else translate(
                self.message)
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.text()


ROW, COLUMN = N_("row %(row)d"), N_("column %(column)s")


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


def read_upload(data: bytes, filename: str, kind: str | None = None) -> dict[str, Table]:
    """Read an uploaded .xlsx (both kinds by sheet name) or CSV (of the given kind)."""
    if len(data) > MAX_BYTES:
        raise _fail(N_("the file is larger than %(mb)d MB"), mb=MAX_BYTES // (1024 * 1024))
    name = (filename or "").lower()
    if name.endswith(".csv"):
        if kind not in COLUMNS:
            raise _fail(N_("choose what the CSV file holds"))
        return {kind: read_csv(data, kind)}
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise _fail(MACROS)
    raise _fail(N_("only .xlsx and .csv files can be imported"))


def read_csv(data: bytes, kind: str) -> Table:
    """Read CSV text in UTF-8 (with or without BOM), separated by `;` or `,`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(N_("the file is not UTF-8 text; save it as 'CSV UTF-8'")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [[value or None for value in row] for row in reader]
    except csv.Error as exc:
        raise _fail(N_("invalid CSV near line %(line)d: %(reason)s"), line=reader.line_num,
                    reason=str(exc)) from None
    return _table(kind, kind, rows)


def read_xlsx(data: bytes) -> dict[str, Table]:
    """Read the people and membership sheets of an .xlsx workbook without running anything."""
    _check_package(data)
    try:
        from openpyxl import load_workbook  # slow to import: only when a workbook comes in

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken package
        raise _fail(NOT_XLSX) from None
    tables: dict[str, Table] = {}
    try:
        for sheet in book.worksheets:
            kind = SHEETS.get(sheet.title.strip().lower())
            if kind in tables:
                raise _fail(N_("more than one sheet of %(kind)s"), kind=kind)
            if kind:
                rows = ([_cell(cell) for cell in row] for row in sheet.iter_rows())
                tables[kind] = _table(kind, sheet.title, rows)
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


def _cell(cell) -> object:
    """A cell's value as plain data; formulas stay as their text (starting with `=`)."""
    value = getattr(cell, "value", None)
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


def _table(kind: str, sheet: str, rows) -> Table:
    """Check the header row and collect the data rows of one sheet."""
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
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise _fail(N_("too many rows (at most %(limit)d)"), sheet, limit=MAX_ROWS)
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


def _fail(message: str, sheet: str | None = None, **params) -> SpreadsheetError:
    """An error about the file as a whole (or a whole sheet): a template and its params."""
    return SpreadsheetError([CellError(sheet, None, None, message, params)])


# --- Rows to a document ---------------------------------------------------------------------

REPEATS, REQUIRED = N_("repeats row %(row)d"), N_("required")


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
                errors.append(CellError(table.sheet, number, column, REQUIRED))
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
                errors.append(CellError(table.sheet, number, column, REQUIRED))
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
        located.append(CellError(place[0], place[1], column, error.message, cause=error)
                       if place else error)
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
