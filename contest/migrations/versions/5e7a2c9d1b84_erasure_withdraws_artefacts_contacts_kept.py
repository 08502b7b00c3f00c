"""an erasure withdraws the jobs' results and calendar exports that hold the child; how long
contacts are kept after the results

Revision ID: 5e7a2c9d1b84
Revises: e5a1c7d3b902
Create Date: 2026-12-01 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a2c9d1b84'
down_revision = 'e5a1c7d3b902'
branch_labels = None
depends_on = None


# Results made before this revision have no entry list (NULL): an erasure in their contest
# withdraws them all, unless a calendar's preflight names its drawings.
def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('calendar_export', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts_kept_months', sa.Integer(), server_default='6',
                                      nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_contest_contacts_kept_months_range'),
            'contacts_kept_months >= 1 AND contacts_kept_months <= 60')
    # A drawing erased before this revision could stay on a calendar page (and the page
    # failed to load): the erasure now clears such pages, and so does this for the old ones.
    op.execute("UPDATE calendar_slot SET entry_id = NULL WHERE entry_id IN "
               "(SELECT id FROM entry WHERE personal_data_erased_at IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contest_contacts_kept_months_range'), type_='check')
        batch_op.drop_column('contacts_kept_months')
    with op.batch_alter_table('calendar_export', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('entry_ids')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('entry_ids')
