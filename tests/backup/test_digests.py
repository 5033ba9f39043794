"""Backup format 2: a digest per table and over the whole file, checked before any write."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

from portal.demo.loader import load_demo
from portal.extensions import db
from tests.backup.conftest import portal_on

KEY = "a backup key that only the operators know"


def _row_count() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(t))
               for t in db.metadata.sorted_tables)


@pytest.fixture
def backup(make_database, tmp_path):
    """Return a function that backs up the demo map (with or without a key) and returns the
    file's lines."""
    path = tmp_path / "demo.jsonl"
    with portal_on(make_database("source")) as app:
        load_demo()

        def make(key: str | None = None) -> list[str]:
            app.config["BACKUP_KEY"] = key
            result = app.test_cli_runner().invoke(args=["backup", str(path)])
            assert result.exit_code == 0, result.output
            return path.read_text(encoding="utf-8").splitlines()

        yield make


@pytest.fixture
def restore(make_database, tmp_path):
    """Return a function that restores lines into a new empty database; it returns the CLI's
    result and the number of rows the database then holds."""
    made = []

    def run(lines: list[str], key: str | None = None):
        path = tmp_path / "to-restore.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        made.append(len(made))
        with portal_on(make_database(f"target{len(made)}")) as app:
            app.config["BACKUP_KEY"] = key
            result = app.test_cli_runner().invoke(args=["restore", str(path)])
            return result, _row_count()

    return run


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _final_made_draft(lines: list[str]) -> list[str]:
    """The lines with the first final decision's status changed to draft, by hand."""
    lines = list(lines)
    start = next(i for i, line in enumerate(lines) if line.startswith('{"table":"decision"'))
    status = json.loads(lines[start])["columns"].index("status")
    for i in range(start + 1, len(lines)):
        row = json.loads(lines[i])
        if row[status] == "final":
            row[status] = "draft"
            lines[i] = _dump(row)
            return lines
    raise AssertionError("the demo has no final decision")


def _redigest_without_key(lines: list[str]) -> list[str]:
    """What someone without the key can do: recompute plain SHA-256 digests."""
    header = {**json.loads(lines[0]), "digest": "sha256"}
    lines = [_dump(header), *lines[1:]]
    tables: dict[str, str] = {}
    whole = hashlib.sha256((lines[0] + "\n").encode())
    own, name = None, None
    for line in lines[1:-1]:
        if line.startswith('{"table":'):
            if own:
                tables[name] = own.hexdigest()
            name, own = json.loads(line)["table"], hashlib.sha256()
        own.update((line + "\n").encode())
        whole.update((line + "\n").encode())
    tables[name] = own.hexdigest()
    end = {**json.loads(lines[-1]), "tables": tables, "digest": whole.hexdigest()}
    return [*lines[:-1], _dump(end)]


def test_a_hand_edited_backup_is_refused_naming_the_table(backup, restore):
    """A final decision turned into a draft in the file: nothing is restored, and the message
    names the table that was changed."""
    result, rows = restore(_final_made_draft(backup()))
    assert result.exit_code != 0
    assert "the table decision does not match its digest" in result.stderr
    assert rows == 0


def test_an_edited_header_is_refused(backup, restore):
    """The whole-file digest covers the header: its schema revision cannot be changed."""
    lines = backup()
    lines[0] = _dump({**json.loads(lines[0]), "schema_revision": "0000edited"})
    result, rows = restore(lines)
    assert result.exit_code != 0
    assert "its header or end line was changed" in result.stderr
    assert rows == 0


def test_with_a_key_the_right_key_restores_and_anything_else_is_refused(backup, restore):
    """With BACKUP_KEY the digests are HMACs: the same key restores; no key, another key, or
    an edit whose digests were recomputed without the key are refused."""
    lines = backup(KEY)
    assert json.loads(lines[0])["digest"] == "hmac-sha256"
    result, rows = restore(lines, KEY)
    assert result.exit_code == 0, result.stderr
    assert rows > 0 and "Warning" not in result.stderr

    result, rows = restore(lines)
    assert "made with BACKUP_KEY" in result.stderr and rows == 0
    result, rows = restore(lines, "another key")
    assert "does not match its digest" in result.stderr and rows == 0
    forged = _redigest_without_key(_final_made_draft(lines))
    result, rows = restore(forged, KEY)
    assert "made without a key" in result.stderr and rows == 0


def test_without_a_key_plain_digests_find_an_edit(backup, restore):
    """Without a key the digests are SHA-256; they still catch an edit not recomputed."""
    lines = backup()
    assert json.loads(lines[0])["digest"] == "sha256"
    result, rows = restore(lines)
    assert result.exit_code == 0, result.stderr
    assert rows > 0


def test_a_version_1_file_restores_with_a_warning(backup, restore):
    """An old file (no digests) is still restored, with a warning that it is not verified."""
    lines = backup()
    header = {k: v for k, v in json.loads(lines[0]).items() if k != "digest"}
    end = json.loads(lines[-1])
    old = [_dump({**header, "version": 1}), *lines[1:-1],
           _dump({"end": True, "rows": end["rows"]})]
    result, rows = restore(old)
    assert result.exit_code == 0, result.stderr
    assert "Warning" in result.stderr and "could not be verified" in result.stderr
    assert rows == end["rows"]


def test_verification_comes_before_any_write(backup, restore, monkeypatch):
    """The digests are checked on a first read: a changed last table stops the restore before
    the first table is written."""
    lines = backup()
    inserts = []
    from portal.backup import restore as restoring

    real = restoring._insert
    monkeypatch.setattr(restoring, "_insert",
                        lambda *args: inserts.append(args[1].name) or real(*args))
    last = max(i for i, line in enumerate(lines) if line.startswith("["))
    lines[last] = lines[last].replace("1", "2", 1) if "1" in lines[last] else lines[last] + " "
    result, rows = restore(lines)
    assert result.exit_code != 0
    assert inserts == [] and rows == 0
