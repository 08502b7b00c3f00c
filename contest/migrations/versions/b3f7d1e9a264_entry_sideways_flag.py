"""a juror's flag: the drawing reached the jury sideways

Revision ID: b3f7d1e9a264
Revises: a7e2c9d4f150
Create Date: 2026-12-01 09:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3f7d1e9a264'
down_revision = 'a7e2c9d4f150'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sideways_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('sideways_at')
