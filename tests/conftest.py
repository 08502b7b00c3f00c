"""Fixtures for the whole suite: an app with a fresh database per test, clients, factories.

Set ``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to run
the suite against PostgreSQL instead of a temporary SQLite file.
"""

import os
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import MetaData

from contest import create_app
from contest.extensions import db

from .factories import PASSWORD, Factory

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _reset_postgres() -> None:
    # Tests may leave tables from a crashed run or from migration tests: start clean.
    meta = MetaData()
    meta.reflect(db.engine)
    meta.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture(autouse=True)
def _own_page_store(tmp_path, monkeypatch):
    """Every app a test makes keeps its public pages in the test's own folder, never in the
    checkout's instance/cache (PostgreSQL runs share one database address, hence one key)."""
    from contest import config

    monkeypatch.setattr(config.Defaults, "CACHE_DIR", str(tmp_path / "page-store"))
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "page-store"))  # `flask` run by tests


@pytest.fixture
def app_config(tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "OUTBOX_FOLDER": str(tmp_path / "outbox"),
        "WTF_CSRF_ENABLED": False,  # tests/test_security.py checks CSRF with it on
        "RATELIMIT_ENABLED": False,  # tests/test_auth.py checks throttling with it on
        "JOBS_URL": str(tmp_path / "jobs.db"),
        # Background jobs run in the request; tests/e2e and tests/test_jobs.py run real workers.
        "JOBS_IMMEDIATE": True,
        "JOBS_WORK_FOLDER": str(tmp_path / "jobs-work"),
        "CACHE_DIR": str(tmp_path / "page-store"),  # also for app processes started by tests
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        if TEST_DATABASE_URL:
            _reset_postgres()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def other_app(app, app_config):
    """``other_app(SETTING=...)``: a second app on the same database, e.g. with CSRF on."""
    made = []

    def build(**overrides):
        extra = create_app({**app_config, **overrides})
        extra.test_client_class = FreshClient
        made.append(extra)
        return extra

    yield build
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


class FreshClient(FlaskClient):
    """The test's app context stays pushed (for factories and asserts), so requests share its
    ``g``; forget what extensions cached there (locale, signed-in user) before each request.

    Each answer is read whole and closed as a WSGI server does (a stored file is streamed from
    an open file: left open, it would warn); ``buffered=False`` gets the stream itself."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories: ``make.contest()``, ``make.user(Role.ORGANIZER)``, ``make.entry(stage)``..."""
    return Factory(app)


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as ``user`` the way a person does: the sign-in
    form, with the factories' password. Tests sign in only through it."""

    def sign_in(user):
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, f"{user.email} could not sign in"
        return user

    return sign_in


@pytest.fixture
def smtp(app):
    """A real SMTP server the app sends to; ``smtp.received`` holds the parsed messages."""
    from .smtp import Mailbox

    mailbox = Mailbox()
    mailbox.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port)
    yield mailbox
    mailbox.stop()


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3 server (moto's) on a free port of this machine, for the module's tests."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, monkeypatch):
    """A new, empty bucket on ``s3_endpoint``; boto3 finds the test's keys in the environment."""
    import uuid

    import boto3

    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    name = f"contest-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_config(app_config, s3_endpoint, s3_bucket):
    """The app's settings with its files in ``s3_bucket`` under the prefix ``site``."""
    app_config.update(STORAGE_URL=f"s3://{s3_bucket}/site", S3_ENDPOINT_URL=s3_endpoint,
                      STORAGE_CACHE_FOLDER=str(Path(app_config["UPLOAD_FOLDER"]).parent / "cache"))
    return app_config
