"""holiday decrees entered by organizers

Revision ID: 01ba468a849e
Revises: 7c1e2f9a4b30
Create Date: 2026-12-01 02:24:59.143224

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '01ba468a849e'
down_revision = '7c1e2f9a4b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('holiday_decree',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=300), nullable=False),
    sa.Column('transfers', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_holiday_decree_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday_decree')),
    sa.UniqueConstraint('year', name=op.f('uq_holiday_decree_year'))
    )


def downgrade():
    op.drop_table('holiday_decree')
