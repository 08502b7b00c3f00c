from contest import create_app
from contest.config import DEFAULT_LANGUAGE


def test_config_defaults_and_test_override(app):
    assert app.testing
    assert create_app({"TESTING": True}).config["BABEL_DEFAULT_LOCALE"] == DEFAULT_LANGUAGE == "ru"
    assert create_app({"TESTING": True}).testing is not False


def test_instance_config_and_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env-" + "k" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/contest")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env-" + "k" * 32
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/contest"
    assert app.instance_path.endswith("instance")


def test_job_queue_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env-" + "k" * 32)
    monkeypatch.setenv("JOBS_URL", str(tmp_path / "queue.db"))
    assert create_app().extensions["huey"].storage.filename == str(tmp_path / "queue.db")
    monkeypatch.setenv("JOBS_URL", "redis://queue.example:6380/2")
    storage = create_app().extensions["huey"].storage  # connects only when a job is queued
    assert type(storage).__name__ == "RedisStorage"
    assert storage.conn.connection_pool.connection_kwargs["host"] == "queue.example"


def test_production_settings_from_the_environment(monkeypatch):
    """Mail over STARTTLS and cookies only over HTTPS, as deploy/contest.env.example sets."""
    monkeypatch.setenv("SECRET_KEY", "from-env-" + "k" * 32)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("MAIL_USE_TLS", "1")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "yes")
    app = create_app()
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/2"
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is app.config["REMEMBER_COOKIE_SECURE"] is True


def test_secure_cookie_settings(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_home_without_contest(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "будет объявлен".encode() in response.data or b"announced" in response.data


def test_trusted_proxies_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert create_app().config["TRUSTED_PROXIES"] == 1
