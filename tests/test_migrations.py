"""Migrations upgrade cleanly and describe exactly the models (SQLite and PostgreSQL)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from contest.extensions import db


@pytest.fixture
def empty_db(app):
    db.drop_all()
    yield app
    db.session.remove()


def test_upgrade_matches_models(empty_db):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(empty_db):
    upgrade()
    downgrade(revision="base")
    upgrade()
    with db.engine.connect() as conn:
        assert "contest" in db.inspect(conn).get_table_names()
