"""facts tied to a calendar month

Revision ID: 2de51f38b286
Revises: 2e6bc751c5b9
Create Date: 2026-11-30 07:44:17.925093

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2de51f38b286'
down_revision = '2e6bc751c5b9'
branch_labels = None
depends_on = None

# Libraries seeded before this revision: tie the standard World Osteoporosis Day fact to
# October, as data/facts.csv now does. Matched by its seeded text, so a fact an organizer has
# rewritten is left for them to tie in the form.
WORLD_OSTEOPOROSIS_DAY = "Всемирный день борьбы с остеопорозом отмечают каждый год 20 октября."


def upgrade():
    with op.batch_alter_table('fact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('month', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_fact_month_range'), 'month >= 1 AND month <= 12')

    fact = sa.table('fact', sa.column('text_ru', sa.Text()), sa.column('month', sa.Integer()))
    op.execute(fact.update().where(fact.c.text_ru == WORLD_OSTEOPOROSIS_DAY).values(month=10))


def downgrade():
    with op.batch_alter_table('fact', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_fact_month_range'), type_='check')
        batch_op.drop_column('month')
