"""calendar exports name their output (RGB, PDF/X-4, CMYK PDF/X-1a)

Revision ID: 7c1e2f9a4b30
Revises: 8c1f3a2b9d47
Create Date: 2026-12-01 03:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e2f9a4b30'
down_revision = '8c1f3a2b9d47'
branch_labels = None
depends_on = None


def upgrade():
    # Every export before this revision was the plain RGB PDF.
    with op.batch_alter_table('calendar_export', schema=None) as batch_op:
        batch_op.add_column(sa.Column('output', sa.String(length=16), server_default='rgb',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('calendar_export', schema=None) as batch_op:
        batch_op.drop_column('output')
