"""the coordinator's list: a new-photo marker and an index by stage, status and arrival

Revision ID: c4d8e2a6f1b3
Revises: f3b8d2a6c410
Create Date: 2026-12-01 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2a6f1b3'
down_revision = 'f3b8d2a6c410'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_photo_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_entry_stage_status_submitted',
                              ['stage_id', 'status', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_stage_status_submitted')
        batch_op.drop_column('new_photo_at')
