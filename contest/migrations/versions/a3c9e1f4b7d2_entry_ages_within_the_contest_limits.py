"""entry ages within the contest's limits (3 to 18, as rules.py says)

Revision ID: a3c9e1f4b7d2
Revises: 2de51f38b286
Create Date: 2026-12-01 02:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a3c9e1f4b7d2'
down_revision = '2de51f38b286'
branch_labels = None
depends_on = None


# An entry always had an age category, and categories were always bounded 3 to 18, so no
# stored entry is outside the new range.
def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entry_age_range'), type_='check')
        batch_op.create_check_constraint(op.f('ck_entry_age_range'), 'age >= 3 AND age <= 18')


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entry_age_range'), type_='check')
        batch_op.create_check_constraint(op.f('ck_entry_age_range'), 'age >= 0 AND age <= 25')
