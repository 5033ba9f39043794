"""accounts without a password, one-time links, notifications; emails in lower case

Emails become unique regardless of case: every address is stored in lower case. If two
accounts differ only in case, the upgrade stops and names them; merge or rename one first.

Revision ID: 1675932dc0cc
Revises: 819e0e51e630
Create Date: 2026-12-07 06:30:00

"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1675932dc0cc'
down_revision = '819e0e51e630'
branch_labels = None
depends_on = None


def _lower_case_emails():
    """Store every address in lower case; refuse when that would merge two accounts."""
    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('email', sa.String))
    rows = connection.execute(sa.select(user.c.id, user.c.email)).all()
    groups = defaultdict(list)
    for row in rows:
        groups[row.email.strip().lower()].append(row)
    clashes = {key: group for key, group in groups.items() if len(group) > 1}
    if clashes:
        listing = "; ".join(
            f"{key}: " + ", ".join(f"#{r.id} {r.email}" for r in group)
            for key, group in sorted(clashes.items())
        )
        raise RuntimeError(
            "Emails must be unique regardless of case, but these accounts differ only in case "
            f"(merge or rename them, then upgrade again): {listing}"
        )
    for row in rows:
        lowered = row.email.strip().lower()
        if lowered != row.email:
            connection.execute(user.update().where(user.c.id == row.id).values(email=lowered))


def upgrade():
    _lower_case_emails()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)

    op.create_table('account_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_token_token_hash'))
    )
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_token_user_id'), ['user_id'], unique=False)

    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preference_user_id'))
    )
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preference_user_id'), ['user_id'], unique=False)

    op.create_table('notification_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_sent_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_sent')),
    sa.UniqueConstraint('user_id', 'kind', 'subject', name=op.f('uq_notification_sent_user_id'))
    )
    with op.batch_alter_table('notification_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_sent_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notification_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_sent_user_id'))
    op.drop_table('notification_sent')
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preference_user_id'))
    op.drop_table('notification_preference')
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_token_user_id'))
    op.drop_table('account_token')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
