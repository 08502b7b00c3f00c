"""an entry's English title, given by the family or the school's list

Revision ID: a7e2c9d4f150
Revises: b7e2f9a4c1d6
Create Date: 2026-12-01 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e2c9d4f150'
down_revision = 'b7e2f9a4c1d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('title_en')
