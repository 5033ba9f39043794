"""`flask backup` and `flask restore`: every table, typed values, into an empty database only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from portal.backup.services import _snapshot
from portal.demo.loader import load_demo
from portal.extensions import db
from portal.models import (
    Area,
    AuditEntry,
    Decision,
    Forum,
    Indicator,
    IndicatorValue,
    Organisation,
    Setting,
    User,
    UserSession,
)
from tests.backup.conftest import portal_on


def _add_awkward_rows() -> None:
    """Rows that test the typed values and the order of inserts: cycles, forward references,
    exact floats, nested JSON, times with microseconds and a time zone, a superseded decision."""
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    moment = datetime(2025, 3, 30, 1, 59, 59, 999999, tzinfo=UTC)
    db.session.add_all([
        Setting(key="awkward", value={"list": [1, 2.5, None, True, "å<&>\"'"], "empty": {}}),
        UserSession(token_hash="a" * 64, user=admin, created_at=moment, last_seen_at=moment),
        AuditEntry(actor="system", action="note", data={"deep": {"er": [[], {"ß": 1e-300}]}}),
    ])
    indicator = db.session.scalar(select(Indicator).limit(1))
    db.session.add(IndicatorValue(indicator=indicator, measured_on=date(2031, 1, 1),
                                  value=0.1 + 0.2))
    child = Organisation(key="z-child", name="Child first", kind="other")
    db.session.add(child)
    db.session.flush()
    child.parent = Organisation(key="z-parent", name="Parent later", kind="other")
    one, two = Forum(key="z-one", name="One", kind="collaboration", level="local"), Forum(
        key="z-two", name="Two", kind="collaboration", level="local")
    db.session.add_all([one, two])
    db.session.flush()
    one.reports_to_id, two.reports_to_id = two.id, one.id  # a cycle, as real maps have
    old = db.session.scalar(select(Decision).where(Decision.status == "final").limit(1))
    db.session.add(Decision(key="z-corrected", title="Corrected", forum=old.forum,
                            decided_on=old.decided_on, status="final", version_no=2,
                            supersedes=old, corrected_reason="typo", created_by=admin))
    db.session.commit()


def _body(path) -> list[str]:
    """The file's lines, the header without its time stamp and the end line without the
    digest over the whole file (which covers the time stamp)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, end = json.loads(lines[0]), json.loads(lines[-1])
    header.pop("created_at")
    end.pop("digest")
    return [json.dumps(header, sort_keys=True), *lines[1:-1], json.dumps(end, sort_keys=True)]


def test_backup_restore_backup_gives_the_same_content(make_database, tmp_path):
    """A backup restored into an empty database backs up to the very same file content."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl.gz"
    with portal_on(make_database("source")) as source:
        load_demo()
        _add_awkward_rows()
        result = source.test_cli_runner().invoke(args=["backup", str(first)])
        assert result.exit_code == 0, result.output
        tables = [t.name for t in db.metadata.sorted_tables]
    with portal_on(make_database("target")) as target:
        result = target.test_cli_runner().invoke(args=["restore", str(first)])
        assert result.exit_code == 0, result.output
        assert f"of {len(tables)} tables" in result.output
        result = target.test_cli_runner().invoke(args=["backup", str(second)])
        assert result.exit_code == 0, result.output
        import gzip

        second_text = tmp_path / "second.jsonl"
        second_text.write_bytes(gzip.decompress(second.read_bytes()))
        assert _body(second_text) == _body(first)
        # The ids go on where the restored ones end (PostgreSQL sequences were reset).
        highest = db.session.scalar(select(func.max(Area.id)))
        area = Area(key="after-restore", name="New")
        db.session.add(area)
        db.session.commit()
        assert area.id == highest + 1
        assert db.session.scalar(select(Setting.value).where(Setting.key == "awkward"))[
            "list"][1] == 2.5
        value = db.session.scalar(select(IndicatorValue.value).where(
            IndicatorValue.measured_on == date(2031, 1, 1)))
        assert value == 0.1 + 0.2


def test_every_table_is_in_the_backup(app, db, tmp_path):
    """The file holds a section for every table of the models, audit trail and sessions too."""
    path = tmp_path / "all.jsonl"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    header, sections = lines[0], [x for x in lines if isinstance(x, dict) and "table" in x]
    assert header["format"] == "samverkan-backup" and header["version"] == 2
    names = [t.name for t in db.metadata.sorted_tables]
    assert header["tables"] == [s["table"] for s in sections] == names
    assert {"audit_entry", "user", "user_session", "decision"} <= set(names)
    assert lines[-1]["end"] is True and lines[-1]["rows"] == sum(s["rows"] for s in sections)
    assert set(lines[-1]["tables"]) == set(names) and len(lines[-1]["digest"]) == 64


def _restore(app, path):
    return app.test_cli_runner().invoke(args=["restore", str(path)])


def _row_count() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(t))
               for t in db.metadata.sorted_tables)


def test_restore_refuses_a_database_that_is_not_empty(make_database, tmp_path):
    """Restoring over data is refused with a message that says why; nothing is written."""
    path = tmp_path / "b.jsonl"
    with portal_on(make_database("full")) as app:
        load_demo()
        assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
        before = _row_count()
        result = _restore(app, path)
        assert result.exit_code != 0
        assert "not empty" in result.output
        assert _row_count() == before


@pytest.mark.parametrize(("change", "message"), [
    (lambda lines: [json.dumps({**json.loads(lines[0]), "version": 3}), *lines[1:]],
     "version 3"),
    (lambda lines: [json.dumps({"format": "samverkan/1"}), *lines[1:]], "not a samverkan-backup"),
    (lambda lines: lines[:-7], "ends early"),
    (lambda lines: lines[:-1], "ends early"),
    (lambda lines: [*lines[:-1], json.dumps({"end": True, "rows": 1})], "end line"),
])
def test_restore_refuses_a_wrong_or_incomplete_file(make_database, tmp_path, change, message):
    """Another format version, another format or a cut file is refused and nothing is kept."""
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    with portal_on(make_database("src")) as app:
        load_demo()
        assert app.test_cli_runner().invoke(args=["backup", str(good)]).exit_code == 0
    bad.write_text("\n".join(change(good.read_text(encoding="utf-8").splitlines())) + "\n",
                   encoding="utf-8")
    with portal_on(make_database("dst")) as app:
        result = _restore(app, bad)
        assert result.exit_code != 0
        assert message in result.output
        assert _row_count() == 0


def test_backup_reads_one_consistent_state(make_database):
    """While a backup reads, a write from elsewhere is either not seen or has to wait."""
    url = make_database("snap")
    with portal_on(url):
        load_demo()
        engine = db.engine
        other = create_engine(url, connect_args={"timeout": 0.2} if url.startswith("sqlite")
                              else {})
        count = select(func.count()).select_from(Area.__table__)
        try:
            with _snapshot(engine) as snapshot:
                seen = snapshot.scalar(count)
                try:
                    with other.begin() as writer:
                        writer.execute(text("INSERT INTO area (key, name) VALUES ('n', 'N')"))
                except OperationalError as exc:  # SQLite: the writer waits for the reader
                    assert "locked" in str(exc)
                assert snapshot.scalar(count) == seen
        finally:
            other.dispose()
