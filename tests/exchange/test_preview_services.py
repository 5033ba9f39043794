"""The preview service: the database's own refusals show before "Importera", nothing written."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.exchange import services
from portal.exchange.messages import error_text
from portal.models import AuditEntry, Decision
from portal.models.meeting import Meeting
from tests.exchange.validator_sample import valid_document


def test_a_preview_shows_what_only_the_importer_would_refuse(db):
    """Removing an agenda item a final decision was taken on is found by the preview, in
    Swedish, with its location; nothing is written."""
    doc = valid_document()
    doc["decisions"] = []
    doc["milestones"][0]["decided_by"] = []
    services.import_text(json.dumps(doc), None)
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m1"))
    db.session.add(Decision(key="d1", title="I protokollet", forum=meeting.forum,
                            decided_on=meeting.meets_on, status="final", meeting=meeting,
                            agenda_item=meeting.agenda[1]))
    db.session.commit()
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
    doc["meetings"][0]["agenda"] = doc["meetings"][0]["agenda"][:1]
    preview = services.preview_text(json.dumps(doc))
    assert preview.summary is None
    assert [error_text(e, "sv") for e in preview.errors] == [
        'meetings[m1].agenda: dagordningspunkt 2 har det fattade beslutet "d1" och kan inte '
        "tas bort"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_the_version_changes_with_the_map_and_only_with_it(db):
    doc = valid_document()
    first = services.preview_text(json.dumps(doc))
    assert services.preview_text(json.dumps(doc)).version == first.version
    services.import_text(json.dumps(doc), None)
    second = services.preview_text(json.dumps(doc))
    assert second.version != first.version
    assert not second.summary.writes  # the same file again changes nothing
