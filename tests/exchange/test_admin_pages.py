"""Import and export in the UI for admins, and the export in the JSON API."""

from __future__ import annotations

import html
import io
import json
import re

from sqlalchemy import func, select

from portal.models import Forum
from tests.conftest import FIXTURES
from tests.helpers import csrf_token

OTHER_REGION = FIXTURES / "other_region.json"

def _upload(client, content: bytes, name="map.json"):
    return client.post(
        "/admin/utbyte",
        data={"csrf_token": csrf_token(client, "/admin/utbyte"),
              "document": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_admin_uploads_a_map(db, client, signed_in):
    """An admin uploads a file, sees the preview, imports it and is told what was imported."""
    signed_in("admin")
    response = _upload(client, OTHER_REGION.read_bytes())
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Forum)) == 0
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True)).group(1)
    response = client.post("/admin/utbyte/importera",
                           data={"csrf_token": csrf_token(client, "/admin/utbyte"), "token": token},
                           follow_redirects=True)
    assert "map.json är importerad: " in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Forum)) > 0


def _broken_document() -> bytes:
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    doc["forums"][0]["reports_to"] = "xyz"
    doc["areas"][0]["key"] = "a b"
    return json.dumps(doc).encode()


def test_upload_errors_are_listed_on_the_page_in_swedish(db, client, signed_in):
    """A broken upload lists every located error in Swedish (the default) and saves nothing."""
    signed_in("admin")
    response = _upload(client, _broken_document())
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    forum = json.loads(OTHER_REGION.read_text(encoding="utf-8"))["forums"][0]["key"]
    assert f'forums[{forum}].reports_to: okänt forum "xyz"' in page
    assert 'areas[#0].key: ogiltig nyckel "a b"' in page
    assert "unknown forum" not in page
    assert db.session.scalar(select(func.count()).select_from(Forum)) == 0


def test_upload_errors_are_in_english_for_an_english_user(db, client, signed_in):
    """The same errors in English, worded as the exchange format's spec words them."""
    signed_in("admin")
    client.post("/language", data={"csrf_token": csrf_token(client, "/admin/utbyte"), "lang": "en"})
    response = _upload(client, _broken_document())
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    forum = json.loads(OTHER_REGION.read_text(encoding="utf-8"))["forums"][0]["key"]
    assert f'forums[{forum}].reports_to: unknown forum "xyz"' in page
    assert 'areas[#0].key: invalid key "a b"' in page


def test_upload_without_a_file_is_an_error_next_to_the_field(db, client, signed_in):
    """Submitting without choosing a file says so next to the field."""
    signed_in("admin")
    token = csrf_token(client, "/admin/utbyte")
    response = client.post("/admin/utbyte", data={"csrf_token": token})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_admin_downloads_the_map(db, client, signed_in):
    """The download is the whole map as a samverkan/1 attachment."""
    from portal.exchange.services import import_text

    import_text(OTHER_REGION.read_bytes(), None)
    signed_in("admin")
    response = client.get("/admin/utbyte/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.data)["format"] == "samverkan/1"


def test_non_admins_cannot_import_or_download(db, client, signed_in):
    """Import and the admin download are refused to other roles, and the refusals counted."""
    from tests.conftest import refusals

    user = signed_in("leadership")
    assert client.get("/admin/utbyte").status_code == 403
    assert client.get("/admin/utbyte/export.json").status_code == 403
    assert refusals(user.email) == 2


def test_api_export_for_readers(db, client, signed_in):
    """Any signed-in reader gets the export as JSON from the API."""
    from portal.exchange.services import import_text

    import_text(OTHER_REGION.read_bytes(), None)
    signed_in("viewer")
    response = client.get("/api/v1/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    doc = response.get_json()
    original = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    assert len(doc["people"]) == len(original["people"])
