"""Migrations upgrade cleanly and describe exactly the models (SQLite and PostgreSQL)."""

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from contest.extensions import db
from contest.rules import MIN_JURORS_PER_ENTRY, OLDEST_AGE, YOUNGEST_AGE


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


def test_upgraded_schema_checks_the_contest_limits(empty_db):
    """The check constraints the migrations leave hold the limits of contest/rules.py."""
    upgrade()
    with db.engine.connect() as conn:
        inspector = db.inspect(conn)
        checks = {check["name"]: re.sub(r"[()]", "", check["sqltext"])
                  for table in ("entry", "stage") for check in inspector.get_check_constraints(table)}
    assert checks["ck_entry_age_range"] == f"age >= {YOUNGEST_AGE} AND age <= {OLDEST_AGE}"
    assert checks["ck_stage_at_least_three_jurors_per_entry"] == (
        f"jurors_per_entry IS NULL OR jurors_per_entry >= {MIN_JURORS_PER_ENTRY}")


def test_downgrade_to_base_and_up_again(empty_db):
    upgrade()
    downgrade(revision="base")
    upgrade()
    with db.engine.connect() as conn:
        assert "contest" in db.inspect(conn).get_table_names()


def test_upgrade_ties_the_seeded_world_osteoporosis_day_fact_to_october(empty_db):
    upgrade(revision="2e6bc751c5b9")  # before facts had a month
    day = "Всемирный день борьбы с остеопорозом отмечают каждый год 20 октября."
    with db.engine.begin() as conn:
        for text in (day, "Кость — живая ткань.", day.replace("20 октября", "20-го октября")):
            conn.execute(db.text("INSERT INTO fact (text_ru, text_en, source_ru, source_en, "
                                 "active, position) VALUES (:t, '', 'IOF', '', TRUE, 0)"),
                         {"t": text})
    upgrade()
    with db.engine.connect() as conn:
        months = dict(conn.execute(db.text("SELECT text_ru, month FROM fact ORDER BY id")).all())
    assert list(months.values()) == [10, None, None]  # a rewritten text is the organizer's
