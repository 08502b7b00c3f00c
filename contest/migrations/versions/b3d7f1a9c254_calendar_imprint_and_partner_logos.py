"""calendar imprint and partners' logos per edition

Revision ID: b3d7f1a9c254
Revises: c8a4e6f2d913
Create Date: 2026-12-01 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d7f1a9c254'
down_revision = 'c8a4e6f2d913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_imprint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('publisher_ru', sa.String(length=300), nullable=False),
    sa.Column('publisher_en', sa.String(length=300), nullable=False),
    sa.Column('print_run', sa.Integer(), nullable=True),
    sa.Column('printer_ru', sa.String(length=300), nullable=False),
    sa.Column('printer_en', sa.String(length=300), nullable=False),
    sa.Column('order_number', sa.String(length=40), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_calendar_imprint_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_imprint')),
    sa.UniqueConstraint('contest_id', name=op.f('uq_calendar_imprint_contest_id'))
    )
    op.create_table('calendar_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('logo_key', sa.String(length=200), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_calendar_partner_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_partner'))
    )
    with op.batch_alter_table('calendar_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_partner_contest_id'), ['contest_id'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_partner_contest_id'))
    op.drop_table('calendar_partner')
    op.drop_table('calendar_imprint')
