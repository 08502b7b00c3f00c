"""entries: a one-time submission key, a last-change time, and indexes for 50,000 entries

Revision ID: b7e2f9a4c1d6
Revises: c4d8e2a6f1b3
Create Date: 2026-12-01 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2f9a4c1d6'
down_revision = 'c4d8e2a6f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(),
                                      server_default=sa.text('CURRENT_TIMESTAMP'),
                                      nullable=False))
        batch_op.add_column(sa.Column('submission_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint('uq_entry_submission_key', ['submission_key'])
        batch_op.create_index('ix_entry_stage_age', ['stage_id', 'age'], unique=False)
        batch_op.create_index('ix_entry_contest_updated', ['contest_id', 'updated_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_contest_updated')
        batch_op.drop_index('ix_entry_stage_age')
        batch_op.drop_constraint('uq_entry_submission_key', type_='unique')
        batch_op.drop_column('submission_key')
        batch_op.drop_column('updated_at')
