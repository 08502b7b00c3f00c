"""End-to-end tests: the real app served on a local port, driven in Debian's Chromium.

Playwright cannot download its own browsers here; it drives ``/usr/bin/chromium``
(``make test`` installs it). Screenshots go to ``test-artifacts/`` for a person to look at.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from contest import create_app
from contest.extensions import db

from ..factories import Factory

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = HERE.parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items):
    """Mark every test of this folder ``e2e``: pytest ignores a ``pytestmark`` in a conftest."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def live(tmp_path):
    """The app on a free local port with its own database; ``live.make`` fills it."""
    database = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'e2e.db'}"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": database,
        # Named for setup.cfg's warning filter: the live server's stored files (served as
        # streams) may be left to the garbage collector when the browser drops a connection.
        "UPLOAD_FOLDER": str(tmp_path / "live-uploads"), "OUTBOX_FOLDER": str(tmp_path / "outbox"),
        "RATELIMIT_ENABLED": False, "DEMO_MODE": False,
        "JOBS_URL": str(tmp_path / "jobs.db"),  # a real queue, worked by a real consumer below
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.commit()
    ctx = app.app_context()
    ctx.push()
    worker = app.extensions["huey"].create_consumer(workers=1, worker_type="thread",
                                                     periodic=False)
    worker.start()
    with LiveServer(app) as server:
        server.make = Factory(app)
        yield server
        db.session.remove()
    worker.stop(graceful=True)
    db.drop_all()
    db.engine.dispose()
    ctx.pop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    yield from _watched(context)


@pytest.fixture
def phone(browser):
    """A phone-sized page with touch, like a parent's."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    yield from _watched(context)


def _watched(context):
    """A page whose script errors and Content-Security-Policy refusals fail the test."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error"
            and "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not problems, problems


def shot(page, name: str) -> Path:
    """Keep a full-page screenshot for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
