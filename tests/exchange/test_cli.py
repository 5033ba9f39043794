"""The import and export commands."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.models import Organisation
from tests.conftest import FIXTURES

OTHER_REGION = FIXTURES / "other_region.json"


def test_import_then_export_to_a_file(runner, tmp_path, db):
    """`flask import FILE` then `flask export FILE` writes the map back out."""
    result = runner.invoke(args=["import", str(OTHER_REGION)])
    assert result.exit_code == 0, result.output
    assert "forums:" in result.output
    out = tmp_path / "out.json"
    result = runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    original = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    assert exported["format"] == "samverkan/1"
    assert {f["key"] for f in exported["forums"]} == {f["key"] for f in original["forums"]}


def test_export_to_standard_output(runner, db):
    """`flask export -` prints the document."""
    runner.invoke(args=["import", str(OTHER_REGION)])
    result = runner.invoke(args=["export", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output)["format"] == "samverkan/1"


def test_second_import_reports_no_changes(runner, db):
    """Importing the same file again says so."""
    runner.invoke(args=["import", str(OTHER_REGION)])
    result = runner.invoke(args=["import", str(OTHER_REGION)])
    assert result.exit_code == 0
    assert "(no changes)" in result.output


def _broken_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "samverkan/1",
                "organisations": [{"key": "rv", "name": "Region", "kind": "county_council"}],
                "forums": [
                    {
                        "key": "lsg",
                        "name": "LSG",
                        "kind": "collaboration",
                        "level": "county",
                        "reports_to": "xyz",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return bad


def test_broken_file_exits_non_zero_with_located_errors(runner, tmp_path, db):
    """A broken file gives a non-zero exit and messages naming list, key and field."""
    bad = _broken_file(tmp_path)
    result = runner.invoke(args=["import", "--lang", "en", str(bad)])
    assert result.exit_code != 0
    assert 'forums[lsg].reports_to: unknown forum "xyz"' in result.output
    assert "organisations[rv].kind:" in result.output
    assert "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_errors_are_in_swedish_by_default(runner, tmp_path, db):
    """Without --lang the messages are Swedish; the locations stay as the format names them."""
    result = runner.invoke(args=["import", str(_broken_file(tmp_path))])
    assert result.exit_code != 0
    assert 'forums[lsg].reports_to: okänt forum "xyz"' in result.output
    assert 'organisations[rv].kind: ogiltigt värde "county_council"' in result.output
    assert "unknown forum" not in result.output


def test_missing_file_is_a_clear_error(runner, tmp_path):
    """A file that does not exist is named in the error."""
    result = runner.invoke(args=["import", str(tmp_path / "nope.json")])
    assert result.exit_code != 0
    assert "nope.json" in result.output
    assert "Traceback" not in result.output


def _table_counts(db) -> dict[str, int]:
    from portal.exchange.importer import MODELS
    from portal.models import AuditEntry

    counts = {name: db.session.scalar(select(func.count()).select_from(model))
              for name, model in MODELS.items()}
    counts["audit"] = db.session.scalar(select(func.count()).select_from(AuditEntry))
    return counts


def test_dry_run_shows_the_summary_and_writes_nothing(runner, tmp_path, db):
    """`--dry-run` prints what would be new and changed, field by field, and the findings
    before and after; no table (nor the audit trail) gains a row."""
    runner.invoke(args=["import", str(OTHER_REGION)])
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    forum = doc["forums"][1]
    old_name = forum["name"]
    forum["name"] = "Nämnden för hälsa och vård"
    doc["forums"].append({"key": "f.ny", "name": "Nytt forum", "kind": "collaboration",
                          "level": "local"})
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), encoding="utf-8")
    before = _table_counts(db)
    result = runner.invoke(args=["import", "--dry-run", str(changed)])
    assert result.exit_code == 0, result.output
    assert "nothing was written" in result.output
    assert "forums: 1 new, 1 changed, 11 unchanged" in result.output
    assert "+ forums[f.ny]: Nytt forum" in result.output
    assert f"~ forums[{forum['key']}].name: {old_name} -> Nämnden för hälsa och vård" in (
        result.output)
    assert "orphan_forum" in result.output and " -> " in result.output
    db.session.expire_all()
    assert _table_counts(db) == before


def test_dry_run_words_roles_statuses_and_yes_no_in_the_language(runner, tmp_path, db):
    """A dry run shows a changed role, status or yes/no in `--lang`'s words (Swedish by
    default), never the file's codes; keys stay as they are."""
    runner.invoke(args=["import", str(OTHER_REGION)])
    doc = json.loads(OTHER_REGION.read_text(encoding="utf-8"))
    forum, action, organisation = doc["forums"][1], doc["actions"][0], doc["organisations"][1]
    forum["members"][0]["role"] = "member"
    action["status"] = "done"
    organisation["principal"] = True
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), encoding="utf-8")
    swedish = runner.invoke(args=["import", "--dry-run", str(changed)]).output
    assert f"~ forums[{forum['key']}].members: +p_002 · Medlem; -p_002 · Ordförande" in swedish
    assert f"~ actions[{action['key']}].status: Pågår -> Klar" in swedish
    assert f"~ organisations[{organisation['key']}].principal: Nej -> Ja" in swedish
    english = runner.invoke(args=["import", "--dry-run", "--lang", "en", str(changed)]).output
    assert f"~ forums[{forum['key']}].members: +p_002 · Member; -p_002 · Chair" in english
    assert f"~ actions[{action['key']}].status: In progress -> Done" in english
    assert f"~ organisations[{organisation['key']}].principal: No -> Yes" in english


def test_dry_run_of_a_broken_file_lists_the_errors(runner, tmp_path, db):
    result = runner.invoke(args=["import", "--dry-run", "--lang", "en",
                                 str(_broken_file(tmp_path))])
    assert result.exit_code != 0
    assert 'forums[lsg].reports_to: unknown forum "xyz"' in result.output
    assert _table_counts(db)["organisations"] == 0
