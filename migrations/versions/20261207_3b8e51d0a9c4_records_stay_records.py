"""records stay records: one correction per version; append-only guards on both databases

- A decision version is corrected at most once: `decision.supersedes_id` becomes unique.
  Versions split by simultaneous corrections before this revision (two "version 2" records of
  one decision) are joined into one chain first: within one decision's versions, each later
  one (by time of creation) becomes a correction of the one before it and gets its number.
  Each changed version is recorded in the audit trail (action `rechain`).
- The append-only guards (portal.audit.guards) are installed on SQLite too, and on PostgreSQL
  the link table `decision_action` of final decisions is guarded, the rewrite of the audit trail
  goes through the SECURITY DEFINER function `portal_rewrite_audit` of the role
  `portal_audit_rewriter`, and the role `portal_app` gets its GRANTs (docs/security.md).
  On PostgreSQL this needs a role that may create roles (or a superuser) the first time.
- Every date in the portal lies between 1900-01-01 and 2199-12-31 (the exchange format's
  range); dates stored before the range was enforced are listed (logged as warnings, one line
  per table, column and key) for an admin to correct. Nothing is changed.

Revision ID: 3b8e51d0a9c4
Revises: 1675932dc0cc
Create Date: 2026-12-07 12:40:00

"""
import logging
from collections import defaultdict
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa

from portal.audit.guards import install_guards, remove_guards


# revision identifiers, used by Alembic.
revision = '3b8e51d0a9c4'
down_revision = '1675932dc0cc'
branch_labels = None
depends_on = None

_decision = sa.table(
    'decision', sa.column('id', sa.Integer), sa.column('key', sa.String),
    sa.column('supersedes_id', sa.Integer), sa.column('version_no', sa.Integer),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
_audit = sa.table(
    'audit_entry', sa.column('at', sa.DateTime(timezone=True)), sa.column('actor', sa.String),
    sa.column('action', sa.String), sa.column('entity_type', sa.String),
    sa.column('entity_key', sa.String), sa.column('before', sa.JSON),
    sa.column('after', sa.JSON), sa.column('data', sa.JSON),
)


def _rechain_split_versions(connection) -> int:
    """Join every decision whose versions branch into one chain; return versions changed."""
    rows = connection.execute(sa.select(
        _decision.c.id, _decision.c.key, _decision.c.supersedes_id, _decision.c.version_no,
        _decision.c.created_at)).all()
    by_id = {r.id: r for r in rows}
    children = defaultdict(list)
    for row in rows:
        if row.supersedes_id is not None:
            children[row.supersedes_id].append(row)
    if all(len(c) <= 1 for c in children.values()):
        return 0

    def root(row):
        seen = set()
        while row.supersedes_id is not None and row.supersedes_id in by_id and row.id not in seen:
            seen.add(row.id)
            row = by_id[row.supersedes_id]
        return row

    trees = defaultdict(list)
    for row in rows:
        trees[root(row).id].append(row)
    changed = 0
    now = datetime.now(timezone.utc)
    for first_id, members in trees.items():
        if not any(len(children[m.id]) > 1 for m in members):
            continue
        first = by_id[first_id]
        later = sorted((m for m in members if m.id != first_id),
                       key=lambda m: (m.created_at or now, m.id))
        previous, number = first, first.version_no or 1
        for version in later:
            number += 1
            if (version.supersedes_id, version.version_no) != (previous.id, number):
                connection.execute(_decision.update().where(_decision.c.id == version.id)
                                   .values(supersedes_id=previous.id, version_no=number))
                connection.execute(_audit.insert().values(
                    at=now, actor='system', action='rechain', entity_type='decision',
                    entity_key=version.key,
                    before={'supersedes': by_id[version.supersedes_id].key
                            if version.supersedes_id in by_id else None,
                            'version_no': version.version_no},
                    after={'supersedes': previous.key, 'version_no': number},
                    data={'migration': revision,
                          'reason': 'simultaneous corrections split the decision; the later '
                                    'version now corrects the earlier one'}))
                changed += 1
            previous = version
    return changed


FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def dates_out_of_range(connection) -> list[str]:
    """Each stored date outside the portal's range: `table.column key: date`."""
    found = []
    inspector = sa.inspect(connection)
    for name in sorted(inspector.get_table_names()):
        columns = inspector.get_columns(name)
        dated = [c['name'] for c in columns if isinstance(c['type'], sa.Date)
                 and not isinstance(c['type'], sa.DateTime)]
        if not dated:
            continue
        names = {c['name'] for c in columns}
        label = 'key' if 'key' in names else 'id'
        table = sa.table(name, *(sa.column(c) for c in [label, *dated]))
        for column in dated:
            col = table.c[column]
            rows = connection.execute(sa.select(table.c[label], col).where(
                sa.or_(col < FIRST_DATE, col > LAST_DATE)).order_by(table.c[label])).all()
            found += [f"{name}.{column} {row[0]}: {row[1]}" for row in rows]
    return found


def upgrade():
    connection = op.get_bind()
    for line in dates_out_of_range(connection):
        logging.getLogger('alembic.runtime.migration').warning(
            'date outside 1900-01-01..2199-12-31, correct it: %s', line)
    remove_guards(connection)  # the rechaining changes final decisions, once, here
    _rechain_split_versions(connection)
    op.drop_index('ix_decision_supersedes_id', table_name='decision')
    op.create_index('ix_decision_supersedes_id', 'decision', ['supersedes_id'], unique=True)
    install_guards(connection)


def downgrade():
    connection = op.get_bind()
    remove_guards(connection)
    op.drop_index('ix_decision_supersedes_id', table_name='decision')
    op.create_index('ix_decision_supersedes_id', 'decision', ['supersedes_id'], unique=False)
    install_guards(connection, sqlite=False)
