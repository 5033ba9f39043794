"""Import of people and forum memberships from .xlsx or CSV: preview, confirm, safety."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.models import AuditEntry, ForumMembership, Person
from tests.helpers import csrf_token

PAGE = "/admin/utbyte/kalkylblad"
CONFIRM = "/admin/utbyte/kalkylblad/bekrafta"
SEED = {
    "format": "samverkan/1",
    "organisations": [{"key": "rvb", "name": "Region Västerbotten", "kind": "region"}],
    "people": [{"key": "anna", "name": "Anna Berg", "organisation": "rvb", "title": "Chef"}],
    "forums": [{"key": "nvg", "name": "Nära vård-gruppen", "kind": "collaboration",
                "level": "regional", "members": [{"person": "anna", "role": "member"}]}],
}


@pytest.fixture
def seeded(app, db, tmp_path):
    """One organisation, person and forum, and a private folder for previewed uploads."""
    from portal.exchange.services import import_text

    app.config["SPREADSHEET_STASH_DIR"] = str(tmp_path)
    import_text(json.dumps(SEED), None)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))

def _upload(client, content: bytes, name: str, kind: str = "people"):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "kind": kind,
                                   "sheet": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _confirm(client, page: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(CONFIRM, data={"csrf_token": csrf_token(client, PAGE), "token": token})


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PEOPLE_SEMI = ("\ufeffkey;name;organisation;title;email\n"
               "anna;Anna Berg;rvb;Verksamhetschef;anna@rvb.example\n"
               "bo;Bo Ek;rvb;;bo@rvb.example\n").encode()


def test_csv_with_semicolons_previews_without_writing(db, client, signed_in, seeded):
    """A `;` CSV with BOM shows new and changed people and writes nothing."""
    signed_in("admin")
    people, audits = _count(db, Person), _count(db, AuditEntry)
    response = _upload(client, PEOPLE_SEMI, "people.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Bo Ek" in page and "Verksamhetschef" in page and "Bekräfta importen" in page
    assert _count(db, Person) == people
    assert _count(db, AuditEntry) == audits


def test_confirm_imports_and_audits(db, client, signed_in, seeded):
    """Confirming the preview imports the rows and records the import in the audit trail."""
    signed_in("admin")
    page = _upload(client, PEOPLE_SEMI, "people.csv").get_data(as_text=True)
    response = _confirm(client, page)
    assert response.status_code == 303
    assert _count(db, Person) == 2
    assert db.session.scalar(select(Person.title).where(Person.key == "anna")) == "Verksamhetschef"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()[-1]
    assert entry.data["source"] == "spreadsheet"


def test_a_preview_made_before_the_map_changed_is_not_imported(db, client, signed_in, seeded):
    """Anna's title was changed by someone else after the preview: the confirmation is refused
    (409, saying so) and nothing of the sheet is written; the other change stays."""
    from portal.directory.services import update_person
    from portal.models import User

    signed_in("admin")
    page = _upload(client, PEOPLE_SEMI, "people.csv").get_data(as_text=True)
    anna = db.session.scalar(select(Person).where(Person.key == "anna"))
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    update_person(admin, anna, {"key": "anna", "name": "Anna Berg", "organisation": "rvb",
                                "title": "Regiondirektör"})
    response = _confirm(client, page)
    assert response.status_code == 409
    assert "Kartan har ändrats sedan förhandsgranskningen" in response.get_data(as_text=True)
    assert _count(db, Person) == 1
    assert db.session.scalar(select(Person.title).where(Person.key == "anna")) == "Regiondirektör"


def test_tampered_confirmation_is_refused(db, client, signed_in, seeded):
    """A confirmation token that was changed imports nothing."""
    signed_in("admin")
    client.post(CONFIRM, data={"csrf_token": csrf_token(client, PAGE), "token": "x.y.z"})
    assert _count(db, Person) == 1


def test_csv_with_commas_adds_and_changes_seats(db, client, signed_in, seeded):
    """Membership rows add seats and change roles, keeping the forum's other seats."""
    signed_in("admin")
    _confirm(client, _upload(client, PEOPLE_SEMI, "people.csv").get_data(as_text=True))
    rows = b"forum,person,role\nnvg,anna,chair\nnvg,bo,secretary\n"
    page = _upload(client, rows, "m.csv", kind="memberships").get_data(as_text=True)
    seats = page[page.index("Nya platser"):page.index("<form", page.index("Nya platser"))]
    assert "Sekreterare" in seats and "Ordförande" in seats  # the roles in Swedish words
    assert "secretary" not in seats and "chair" not in seats
    assert _confirm(client, page).status_code == 303
    seats = dict(db.session.execute(
        select(Person.key, ForumMembership.role).join(ForumMembership.person)
        .where(ForumMembership.ended_on.is_(None))).all())
    assert seats == {"anna": "chair", "bo": "secretary"}


def test_xlsx_with_both_sheets(db, client, signed_in, seeded):
    """A workbook with Swedish sheet names imports people and their seats together."""
    signed_in("admin")
    content = _xlsx({
        "personer": [["key", "name", "organisation", "title", "email"],
                     ["cia", "Cia Lund", "rvb", None, None]],
        "medlemskap": [["forum", "person", "role"], ["nvg", "cia", "member"]],
    })
    page = _upload(client, content, "map.xlsx").get_data(as_text=True)
    assert "Cia Lund" in page
    assert _confirm(client, page).status_code == 303
    assert _count(db, ForumMembership) == 2


def test_bad_organisation_is_located(db, client, signed_in, seeded):
    """A validator error comes back as the row and column it came from."""
    signed_in("admin")
    rows = b"key;name;organisation;title;email\nbo;Bo;rvb;;\ncia;Cia;nope;;\n"
    response = _upload(client, rows, "people.csv")
    assert response.status_code == 400
    assert "rad 3, kolumn organisation: okänd organisation" in response.get_data(as_text=True)
    assert _count(db, Person) == 1


def test_unknown_and_missing_columns_are_named(db, client, signed_in, seeded):
    """A wrong header names the columns."""
    signed_in("admin")
    page = _upload(client, b"key,name,org\n", "p.csv").get_data(as_text=True)
    assert "kolumn org: okänd kolumn" in page
    assert "kolumn organisation: kolumnen saknas" in page


def test_formula_cell_is_refused(db, client, signed_in, seeded):
    """A formula is refused, not evaluated nor imported."""
    signed_in("admin")
    link = '=HYPERLINK("http://evil.example","x")'
    content = _xlsx({"people": [["key", "name", "organisation", "title", "email"],
                                ["bo", link, "rvb", None, None]]})
    response = _upload(client, content, "p.xlsx")
    assert response.status_code == 400
    assert "rad 2, kolumn name: formler tas inte emot" in response.get_data(as_text=True)


@pytest.mark.parametrize("content", [b"key,name\n", b"PK\x03\x04 not really a zip"])
def test_non_xlsx_renamed_is_refused(db, client, signed_in, seeded, content):
    """A file that is not an xlsx workbook is refused with a clear message."""
    signed_in("admin")
    response = _upload(client, content, "p.xlsx")
    assert response.status_code == 400
    assert "ingen .xlsx-arbetsbok" in response.get_data(as_text=True)


def test_macro_workbook_is_refused(db, client, signed_in, seeded):
    """A workbook carrying a VBA project is refused even when named .xlsx."""
    signed_in("admin")
    buffer = io.BytesIO(_xlsx({"people": [["key"]]}))
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\0")
    response = _upload(client, buffer.getvalue(), "p.xlsx")
    assert response.status_code == 400
    assert "arbetsböcker med makron tas inte emot" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["leadership", "commission_lead", "forum_member", "viewer"])
def test_non_admins_get_403(client, signed_in, seeded, role):
    """Only admins see or use the spreadsheet import."""
    signed_in(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(CONFIRM, data={"csrf_token": csrf_token(client, "/"),
                                      "token": "x"}).status_code == 403


def test_post_without_csrf_is_400(db, client, signed_in, seeded):
    """Uploads and confirmations need the CSRF token."""
    signed_in("admin")
    data = {"kind": "people", "sheet": (io.BytesIO(PEOPLE_SEMI), "p.csv")}
    response = client.post(PAGE, data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert client.post(CONFIRM, data={"token": "x"}).status_code == 400
    assert _count(db, Person) == 1


def test_membership_errors_are_located(db, client, signed_in, seeded):
    """Unknown forums, unknown people and bad roles point at their row and column."""
    signed_in("admin")
    rows = b"forum;person;role\nxyz;anna;member\nnvg;nobody;member\nnvg;anna;boss\n"
    response = _upload(client, rows, "m.csv", kind="memberships")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "rad 2, kolumn forum: okänt forum ”xyz”" in page
    assert "rad 3, kolumn person: okänd person" in page
    assert "rad 4, kolumn role" in page
