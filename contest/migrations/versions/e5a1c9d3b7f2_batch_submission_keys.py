"""entries: the one-time key of the school's batch form that sent them

Revision ID: e5a1c9d3b7f2
Revises: b3d7f1a9c254
Create Date: 2026-12-01 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c9d3b7f2'
down_revision = 'b3d7f1a9c254'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_key', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_entry_batch_key', ['batch_key'], unique=False)


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_batch_key')
        batch_op.drop_column('batch_key')
