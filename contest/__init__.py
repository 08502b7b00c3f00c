"""The contest web application: ``create_app`` builds it (Flask's application factory)."""

from pathlib import Path

from flask import Flask

from . import config

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then ``instance/config.py``, then the environment, then tests."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config.Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'contest.db'}"
    app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config.from_environment())
    else:
        app.config.update(test_config)
    app.config["CACHE_DIR"] = app.config["CACHE_DIR"] or str(Path(app.instance_path) / "cache")
    from . import (  # noqa: F401  (certificates registers its background job, mail its task)
        access,
        auth,
        certificates,
        cli,
        coordinator,
        errors,
        i18n,
        jobs,
        mail,
        main,
        media,
        organizer,
        public_pages,
        publishing,
        security,
        submit,
    )
    from .extensions import csrf, db, limiter, migrate
    from .judging import routes as judging

    security.check_secret_key(app)
    security.keep_private(app.instance_path)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    public_pages.init_app(app)
    auth.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(organizer.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(coordinator.bp)
    app.register_blueprint(media.bp)
    for blueprint in publishing.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(judging.bp)
    return app
