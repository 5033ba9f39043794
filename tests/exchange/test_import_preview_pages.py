"""The admin import shows what it will do first and writes only after "Importera"."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from sqlalchemy import func, select

from portal.exchange.services import import_text
from portal.models import AuditEntry, Forum
from tests.conftest import FIXTURES, refusals
from tests.helpers import csrf_token

OTHER_REGION = FIXTURES / "other_region.json"

def _upload(client, content: bytes, name="map.json"):
    return client.post(
        "/admin/utbyte",
        data={"csrf_token": csrf_token(client, "/admin/utbyte"),
              "document": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, preview_page: str, csrf: bool = True):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_page).group(1)
    data = {"token": token}
    if csrf:
        data["csrf_token"] = csrf_token(client, "/admin/utbyte")
    return client.post("/admin/utbyte/importera", data=data)


def _changed_document() -> bytes:
    """The other region's map with one forum renamed, one new forum, one seat changed."""
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    doc["forums"][1]["name"] = "Nämnden för hälsa och vård"
    doc["forums"][1]["members"][0]["role"] = "member"
    doc["forums"].append({"key": "f.ny", "name": "Nytt samverkansforum", "kind": "collaboration",
                          "level": "local"})
    return json.dumps(doc).encode()


def _worded_document() -> bytes:
    """The other region's map with a forum's kind, a seat, an action's status and whether an
    organisation is a principal changed: values the file writes as codes and true/false."""
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    doc["forums"][1]["kind"] = "working_group"
    doc["forums"][1]["members"][0]["role"] = "member"
    doc["actions"][0]["status"] = "done"
    doc["organisations"][1]["principal"] = True
    return json.dumps(doc).encode()


def _changed_fields(page: str, list_name: str) -> dict[str, tuple[str, str]]:
    """The preview's changed fields of one list: field -> (before, after), as a reader sees
    them (the items that go and come for a list field)."""
    start = page.index(f'id="preview-{list_name}"')
    section = page[start:page.index("</section>", start)]
    rows = re.findall(r"<code>([a-z_]+)</code></td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>",
                      section, re.DOTALL)
    return {field: (_text(before), _text(after)) for field, before, after in rows}


def _text(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def _forum_name(db, key):
    db.session.expire_all()
    return db.session.scalar(select(Forum.name).where(Forum.key == key))


@pytest.fixture
def stored(db):
    """The other region's map, stored."""
    import_text(OTHER_REGION.read_bytes(), None)
    return json.loads(OTHER_REGION.read_text(encoding="utf-8"))


def test_upload_shows_a_preview_and_writes_nothing(db, client, signed_in, stored):
    """The preview lists new, changed (field by field) and unchanged entries and the findings
    before and after, in Swedish; the map is as it was."""
    signed_in("admin")
    imports_before = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
    response = _upload(client, _changed_document())
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Förhandsgranskning av importen" in page
    assert "Ingenting är sparat ännu" in page
    assert "Nytt samverkansforum" in page and "f.ny" in page
    changes = page[page.index('id="preview-forums"'):]
    assert "Hälso- och sjukvårdsnämnden" in changes and "Nämnden för hälsa och vård" in changes
    assert "− p_002 · Ordförande" in changes and "+ p_002 · Medlem" in changes
    assert "chair" not in changes
    assert 'id="preview-findings"' in page and "Forum som inte rapporterar" in page
    assert "oförändrade" in page or "lämnas som de är" in page
    assert _forum_name(db, stored["forums"][1]["key"]) == "Hälso- och sjukvårdsnämnden"
    assert _forum_name(db, "f.ny") is None
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")
    ) == imports_before


def test_import_after_the_preview_writes_and_is_audited(db, client, signed_in, stored):
    """"Importera" writes the previewed file, says what it did, and the audit names the file."""
    admin = signed_in("admin")
    preview = _upload(client, _changed_document(), name="ny-karta.json").get_data(as_text=True)
    response = _confirm(client, preview)
    assert response.status_code == 303
    assert _forum_name(db, "f.ny") == "Nytt samverkansforum"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ny-karta.json är importerad: 1 nya, 1 ändrade" in html.unescape(page)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.user_id == admin.id
    assert entry.data["file"] == "ny-karta.json" and entry.data["previewed"] is True
    assert entry.data["created"]["forums"] == 1
    again = _confirm(client, preview)  # a confirmed preview is used up, and says so
    assert again.status_code == 409
    assert "redan bekräftats" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "import", AuditEntry.id > entry.id)) == 0


def test_a_preview_of_a_changed_map_is_refused(db, client, signed_in, stored):
    """If the map changed between the preview and "Importera", nothing is written and the
    admin is asked for a new preview."""
    signed_in("admin")
    preview = _upload(client, _changed_document()).get_data(as_text=True)
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    doc["areas"][0]["name"] = "Ändrat under tiden"
    import_text(json.dumps(doc).encode(), None)
    response = _confirm(client, preview)
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Kartan har ändrats sedan förhandsgranskningen" in page
    assert "Ladda upp filen igen" in page
    assert _forum_name(db, "f.ny") is None


def test_another_admins_preview_is_refused(db, client, signed_in, make_user, auth, stored):
    """A token is tied to the admin who uploaded: another admin cannot import it."""
    signed_in("admin")
    preview = _upload(client, _changed_document()).get_data(as_text=True)
    make_user("admin", email="other-admin@test.example")
    auth.logout()
    auth.login("other-admin@test.example")
    response = _confirm(client, preview)
    assert response.status_code == 403
    assert "en annan administratör" in html.unescape(response.get_data(as_text=True))
    assert _forum_name(db, "f.ny") is None
    assert refusals("other-admin@test.example") == 1


def test_confirmation_needs_csrf_a_valid_token_and_an_admin(db, client, signed_in, make_user,
                                                            auth, stored):
    signed_in("admin")
    preview = _upload(client, _changed_document()).get_data(as_text=True)
    assert _confirm(client, preview, csrf=False).status_code == 400
    forged = re.sub(r'(name="token" type="hidden" value=")[^"]{4}', r"\1abcd", preview)
    assert _confirm(client, forged).status_code == 400
    make_user("leadership")
    auth.logout()
    auth.login("leadership@test.example")
    assert _confirm(client, preview).status_code == 403
    assert _forum_name(db, "f.ny") is None


def test_a_file_that_changes_nothing_says_so(db, client, signed_in, stored):
    signed_in("admin")
    page = html.unescape(_upload(client, OTHER_REGION.read_bytes()).get_data(as_text=True))
    assert "Filen ändrar ingenting på kartan." in page


def test_preview_in_english(db, client, signed_in, stored):
    signed_in("admin")
    client.post("/language", data={"csrf_token": csrf_token(client, "/admin/utbyte"), "lang": "en"})
    page = html.unescape(_upload(client, _changed_document()).get_data(as_text=True))
    assert "Preview of the import" in page and "Nothing has been saved yet" in page
    assert "How the findings would change" in page


def test_changed_values_are_shown_in_swedish_words(db, client, signed_in, stored):
    """Roles, kinds, statuses and yes/no show as the rest of the portal words them; keys as
    they are in the file."""
    signed_in("admin")
    page = html.unescape(_upload(client, _worded_document()).get_data(as_text=True))
    forums = _changed_fields(page, "forums")
    assert forums["kind"] == ("Politiskt forum", "Arbetsgrupp")
    assert forums["members"] == ("− p_002 · Ordförande", "+ p_002 · Medlem")
    assert _changed_fields(page, "actions")["status"] == ("Pågår", "Klar")
    assert _changed_fields(page, "organisations")["principal"] == ("Nej", "Ja")


def test_changed_values_are_shown_in_english_words(db, client, signed_in, stored):
    signed_in("admin")
    client.post("/language", data={"csrf_token": csrf_token(client, "/admin/utbyte"), "lang": "en"})
    page = html.unescape(_upload(client, _worded_document()).get_data(as_text=True))
    forums = _changed_fields(page, "forums")
    assert forums["kind"] == ("Political", "Working group")
    assert forums["members"] == ("− p_002 · Chair", "+ p_002 · Member")
    assert _changed_fields(page, "actions")["status"] == ("In progress", "Done")
    assert _changed_fields(page, "organisations")["principal"] == ("No", "Yes")


def test_a_long_list_is_cut_with_the_count_of_the_rest(db, client, signed_in, monkeypatch):
    """A national file does not list thousands of rows: the rest is counted, not shown."""
    from portal.exchange import routes

    monkeypatch.setattr(routes, "SHOWN_ENTRIES", 5)
    signed_in("admin")
    page = html.unescape(_upload(client, OTHER_REGION.read_bytes()).get_data(as_text=True))
    organisations = page[page.index('id="preview-organisations"'):page.index('id="preview-people"')]
    assert organisations.count("<tr>") == 5 + 1  # the heading row and five entries
    assert "…och 16 till, som inte visas här." in organisations
