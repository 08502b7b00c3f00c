"""juror reminders: days before a stage's deadline per edition; what a message is about

Revision ID: f3b8d2a6c410
Revises: 5e7a2c9d1b84
Create Date: 2026-12-01 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d2a6c410'
down_revision = '5e7a2c9d1b84'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('juror_reminder_days', sa.Integer(), server_default='3',
                                      nullable=False))
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=64), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('topic')
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_column('juror_reminder_days')
