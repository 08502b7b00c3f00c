"""an entry's moderation note for the staff, apart from the reason written for the family

Revision ID: 5e2a7c41d9b3
Revises: 0b7c3e5f9a21
Create Date: 2026-12-01 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2a7c41d9b3'
down_revision = '0b7c3e5f9a21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_note', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('moderation_note')
