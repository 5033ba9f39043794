"""a status report's comment and a risk's mitigation may be absent

The exchange format keeps an optional text given as `""` apart from one left out (`null`):
both must come back from an export as they were imported, and a status report is a record
compared field by field. The two columns were NOT NULL with `""` for "no text", so `""` and
`null` became one value; they are now nullable. The `""` stored so far meant "no text" (an
import of an absent comment, a risk saved without a mitigation), so it becomes NULL.

The status report's append-only guards are lifted for this one change and installed again.

Revision ID: 5e1f0c2a9b7d
Revises: 3ae21e07c553
Create Date: 2026-12-07 22:55:00

"""
import sqlalchemy as sa
from alembic import op

from portal.audit.guards import install_guards, remove_guards

# revision identifiers, used by Alembic.
revision = '5e1f0c2a9b7d'
down_revision = '3ae21e07c553'
branch_labels = None
depends_on = None

_COLUMNS = (('status_report', 'comment'), ('risk', 'mitigation'))


def upgrade():
    connection = op.get_bind()
    remove_guards(connection)
    for table, column in _COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), nullable=True)
        rows = sa.table(table, sa.column(column, sa.Text))
        connection.execute(sa.update(rows).where(rows.c[column] == '').values({column: None}))
    install_guards(connection)


def downgrade():
    connection = op.get_bind()
    remove_guards(connection)
    for table, column in _COLUMNS:
        rows = sa.table(table, sa.column(column, sa.Text))
        connection.execute(sa.update(rows).where(rows.c[column].is_(None)).values({column: ''}))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), nullable=False)
    install_guards(connection)
