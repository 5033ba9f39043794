"""A commission's actions as an Excel workbook that no spreadsheet will run as formulas."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask_babel import gettext as _

from portal.labels import label

# A cell starting with one of these is read as a formula (or DDE) by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run is prefixed with `'`; other values pass unchanged.

    Control characters the file format cannot hold are dropped rather than failing the export.
    """
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl loads slowly: on use only

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def actions_workbook(commission, actions) -> bytes:
    """The actions, one row each under a header row, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Actions")[:31]
    header = [_("Key"), _("Action"), _("Owner (person)"), _("Owner (forum)"), _("Focus areas"),
              _("Due"), _("Status"), _("Progress (%)"), _("Recommendation")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for action in actions:
        sheet.append([neutralise(v) for v in (
            action.key,
            action.title,
            action.owner_person.name if action.owner_person else None,
            action.owner_forum.name if action.owner_forum else None,
            ", ".join(a.name for a in action.areas) or None,
            action.due_on,
            label("action_status", action.status),
            action.progress,
            action.recommendation.text if action.recommendation else None,
        )])
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHI", (28, 60, 24, 30, 30, 12, 14, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = commission.title[:255]
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
