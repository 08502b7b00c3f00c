"""who signs an edition's certificates, and its logo

Revision ID: c8a4e6f2d913
Revises: b3f7d1e9a264
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8a4e6f2d913'
down_revision = 'b3f7d1e9a264'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_signatories', sa.JSON(), server_default='[]',
                                      nullable=False))
        batch_op.add_column(sa.Column('certificate_logo', sa.String(length=120),
                                      server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_column('certificate_logo')
        batch_op.drop_column('certificate_signatories')
