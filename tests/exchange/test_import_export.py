"""Import and export through the database: round trip, idempotence, all or nothing."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.exchange import services
from portal.exchange.validator import ExchangeValidationError, load_document
from portal.models import AuditEntry, Forum, ForumMembership, Organisation
from tests.conftest import FIXTURES

OTHER_REGION = FIXTURES / "other_region.json"


def _normalised(text: str | bytes) -> dict:
    """A document in comparable form: lists as key-sorted entries, set-like lists sorted."""
    from portal.exchange.importer import canonical

    doc = load_document(text)
    return {
        name: sorted((canonical(name, e) for e in doc[name]), key=lambda e: e["key"])
        for name in doc
        if name != "format"
    }


def _row_counts(db) -> dict[str, int]:
    """Rows in every table, to show that nothing was written."""
    return {
        t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in db.metadata.sorted_tables
    }


def test_other_regions_map_round_trips(db):
    """A map written by someone else imports and exports back equivalent."""
    text = OTHER_REGION.read_bytes()
    services.import_text(text, None)
    exported = services.export_text()
    assert _normalised(exported) == _normalised(text)


def test_importing_twice_changes_nothing(db):
    """The second import of the same file writes nothing but its own audit note."""
    text = OTHER_REGION.read_bytes()
    first = services.import_text(text, None)
    assert first.changed
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    counts = _row_counts(db)
    second = services.import_text(text, None)
    assert not second.changed
    assert sum(second.unchanged.values()) == sum(first.created.values())
    after = _row_counts(db)
    assert after.pop("audit_entry") == audit_before + 1
    counts.pop("audit_entry")
    assert after == counts


def test_export_of_export_is_identical(db):
    """Import of an export changes nothing, and exports again to the same text."""
    services.import_text(OTHER_REGION.read_bytes(), None)
    exported = services.export_text()
    report = services.import_text(exported, None)
    assert not report.changed
    assert services.export_text() == exported


def test_html_in_text_is_stored_as_text(db):
    """Text that looks like HTML is kept exactly as written."""
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    doc["forums"][0]["mandate"] = '<script>alert(1)</script> & <img src=x onerror="x()">'
    services.import_text(json.dumps(doc), None)
    stored = db.session.scalar(select(Forum.mandate).where(Forum.key == doc["forums"][0]["key"]))
    assert stored == doc["forums"][0]["mandate"]


def test_upsert_replaces_an_entry_whole_and_never_deletes(db):
    """An entry in the file replaces the stored one; entries not in the file stay."""
    base = {
        "format": "samverkan/1",
        "organisations": [{"key": "rv", "name": "Region", "kind": "region"}],
        "people": [
            {"key": "p1", "name": "Anna", "organisation": "rv"},
            {"key": "p2", "name": "Bo", "organisation": "rv"},
        ],
        "forums": [
            {
                "key": "f",
                "name": "Forum",
                "kind": "collaboration",
                "level": "county",
                "mandate": "Gammalt mandat",
                "members": [{"person": "p1", "role": "chair"}, {"person": "p2", "role": "member"}],
            },
            {"key": "g", "name": "Annat forum", "kind": "collaboration", "level": "county"},
        ],
    }
    services.import_text(json.dumps(base), None)
    update = {
        "format": "samverkan/1",
        "forums": [
            {
                "key": "f",
                "name": "Forum (nytt namn)",
                "kind": "management",
                "level": "regional",
                "members": [{"person": "p2", "role": "chair"}],
            }
        ],
    }
    report = services.import_text(json.dumps(update), None)
    assert report.updated["forums"] == 1
    forum = db.session.scalar(select(Forum).where(Forum.key == "f"))
    db.session.refresh(forum)
    assert forum.name == "Forum (nytt namn)"
    assert forum.mandate is None  # absent optional field takes its default
    current = [(m.person.key, m.role) for m in forum.memberships if m.ended_on is None]
    assert current == [("p2", "chair")]
    assert db.session.scalar(select(Forum).where(Forum.key == "g")) is not None


def test_a_file_may_refer_to_stored_entries(db):
    """A partial file may point at organisations that are already in the database."""
    services.import_text(
        json.dumps(
            {
                "format": "samverkan/1",
                "organisations": [{"key": "rv", "name": "Region", "kind": "region"}],
            }
        ),
        None,
    )
    services.import_text(
        json.dumps(
            {
                "format": "samverkan/1",
                "people": [{"key": "p1", "name": "Anna", "organisation": "rv"}],
            }
        ),
        None,
    )
    assert services.export_text().count('"organisation": "rv"') == 1


def test_a_file_may_not_make_a_stored_organisation_its_own_ancestor(db):
    """The parent check sees stored parents too."""
    services.import_text(
        json.dumps(
            {
                "format": "samverkan/1",
                "organisations": [
                    {"key": "a", "name": "A", "kind": "region"},
                    {"key": "b", "name": "B", "kind": "region_unit", "parent": "a"},
                ],
            }
        ),
        None,
    )
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(
            json.dumps(
                {
                    "format": "samverkan/1",
                    "organisations": [{"key": "a", "name": "A", "kind": "region", "parent": "b"}],
                }
            ),
            None,
        )
    assert "organisations[a].parent" in str(info.value)


def _broken(mutate) -> str:
    """The other region's map with one thing broken."""
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    mutate(doc)
    return json.dumps(doc)


def _first(doc, name):
    return doc[name][0]


BROKEN = {
    "unknown reference": (
        lambda d: _first(d, "forums").update(reports_to="xyz"),
        '.reports_to: unknown forum "xyz"',
    ),
    "duplicate key": (
        lambda d: d["areas"].append(copy.deepcopy(d["areas"][0])),
        "areas[",
    ),
    "impossible date": (
        lambda d: _first(d, "milestones").update(due="2025-02-30"),
        ".due:",
    ),
    "unknown field": (
        lambda d: _first(d, "people").update(shoe_size=42),
        ".shoe_size:",
    ),
    "unknown enum value": (
        lambda d: _first(d, "forums").update(level="galactic"),
        ".level:",
    ),
    "progress out of range": (
        lambda d: _first(d, "actions").update(progress=101),
        ".progress:",
    ),
    "invalid key": (
        lambda d: _first(d, "areas").update(key="a b"),
        'areas[#0].key: invalid key "a b"',
    ),
    "person twice in a forum": (
        lambda d: (
            next(f for f in d["forums"] if f.get("members"))
            .get("members")
            .append(copy.deepcopy(next(f for f in d["forums"] if f.get("members"))["members"][0]))
        ),
        ".members",
    ),
    "start after end": (
        lambda d: _first(d, "commissions").update(start="2026-01-01", end="2025-01-01"),
        ".end:",
    ),
    "wrong format": (lambda d: d.update(format="samverkan/2"), "format:"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_documents_are_refused_with_a_location_and_write_nothing(db, case):
    """Each broken document is refused with a message naming the place; nothing changes."""
    services.import_text(
        json.dumps(
            {
                "format": "samverkan/1",
                "organisations": [{"key": "kept", "name": "Kept", "kind": "other"}],
            }
        ),
        None,
    )
    before = _row_counts(db)
    mutate, where = BROKEN[case]
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(_broken(mutate), None)
    assert where in str(info.value)
    assert _row_counts(db) == before


def test_truncated_json_is_refused(db):
    """A file cut off in the middle is refused with its line and column."""
    text = OTHER_REGION.read_text(encoding="utf-8")
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(text[: len(text) // 2], None)
    assert "invalid JSON at line" in str(info.value)
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_import_is_recorded_in_the_audit_trail(db):
    """Every created entity and the import itself appear in the audit trail."""
    services.import_text(OTHER_REGION.read_bytes(), None, source="test")
    forums = db.session.scalar(select(func.count()).select_from(Forum))
    created = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "create", AuditEntry.entity_type == "forum")
    )
    assert created == forums
    summary = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert summary.data["created"]["forums"] == forums


def test_members_are_stored_with_roles(db):
    """Forum members keep their roles through the import."""
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    services.import_text(json.dumps(doc), None)
    expected = sum(len(f.get("members") or []) for f in doc["forums"])
    assert db.session.scalar(select(func.count()).select_from(ForumMembership)) == expected


def _forum_doc(members: list[str]) -> str:
    return json.dumps({
        "format": "samverkan/1",
        "organisations": [{"key": "rv", "name": "Region", "kind": "region"}],
        "people": [{"key": k, "name": k.upper(), "organisation": "rv"} for k in ("p1", "p2")],
        "forums": [{"key": "f", "name": "Forum", "kind": "collaboration", "level": "county",
                    "members": [{"person": k, "role": "member"} for k in members]}],
    })


def test_a_seat_missing_from_the_file_is_ended_not_deleted(db):
    """Re-importing a forum without a member ends that seat and keeps it as history."""
    services.import_text(_forum_doc(["p1", "p2"]), None)
    services.import_text(_forum_doc(["p2"]), None)
    rows = {(m.person.key, m.ended_on is None) for m in db.session.scalars(
        select(ForumMembership))}
    assert rows == {("p1", False), ("p2", True)}
    exported = json.loads(services.export_text())
    assert exported["forums"][0]["members"] == [
        {"person": "p2", "role": "member", "on_behalf_of": []}]
    services.import_text(_forum_doc(["p1", "p2"]), None)
    db.session.expire_all()
    assert all(m.ended_on is None for m in db.session.scalars(select(ForumMembership)))


def _decision_doc(title: str) -> str:
    doc = json.loads(_forum_doc(["p1"]))
    doc["decisions"] = [{"key": "d1", "title": title, "forum": "f", "date": "2025-01-01"}]
    return json.dumps(doc)


def test_a_final_decision_cannot_be_changed_by_an_import(db):
    """Decisions are records: an import that would change one is refused, naming it."""
    services.import_text(_decision_doc("Beslut"), None)
    with pytest.raises(ExchangeValidationError) as info:
        services.import_text(_decision_doc("Beslut (ändrat)"), None)
    assert str(info.value).startswith("decisions[d1]: is a final decision")
    from portal.models import Decision

    assert db.session.scalar(select(Decision.title)) == "Beslut"
    assert not services.import_text(_decision_doc("Beslut"), None).changed


def test_draft_decisions_are_not_exported(db):
    """Only final decisions are records; a draft stays out of the export."""
    from portal.models import Decision

    services.import_text(_decision_doc("Beslut"), None)
    forum = db.session.scalar(select(Forum))
    db.session.add(Decision(key="utkast", title="Utkast", forum=forum, status="draft",
                            decided_on=date(2025, 2, 1)))
    db.session.commit()
    keys = [d["key"] for d in json.loads(services.export_text())["decisions"]]
    assert keys == ["d1"]
