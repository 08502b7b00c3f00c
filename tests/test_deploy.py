"""The shipped deployment files (deploy/) are valid as they are."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from contest.config import Defaults

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "contest.conf"


@pytest.fixture
def nginx():
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path is None:
        pytest.skip("nginx is not installed: run `make test`, which installs it (Debian: nginx)")
    return path


def _test_certificate(folder: Path) -> None:
    folder.mkdir(parents=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=contest.example.org", "-keyout", str(folder / "privkey.pem"),
                    "-out", str(folder / "fullchain.pem")], check=True, capture_output=True)


def test_nginx_accepts_the_shipped_site(nginx, tmp_path):
    """``nginx -t`` on a main configuration that includes deploy/nginx/contest.conf unchanged,
    with a certificate made here where the site expects it (relative to the configuration)."""
    _test_certificate(tmp_path / "contest" / "tls")
    temp = tmp_path / "temp"
    temp.mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {SITE};
}}
""")
    command = [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr
    # What the site promises, as nginx itself reads it.
    dumped = subprocess.run([*command, "-T"], capture_output=True, text=True, check=True).stdout
    site = dumped[dumped.index(f"# configuration file {SITE}:"):]
    assert "proxy_request_buffering on;" in site
    limit = re.search(r"client_max_body_size (\d+)m;", site)
    assert int(limit[1]) * 1024 * 1024 == Defaults.MAX_CONTENT_LENGTH
    batch = re.search(r"location = /submit/batch \{[^}]*client_max_body_size (\d+)m;", site)
    assert int(batch[1]) * 1024 * 1024 == Defaults.BATCH_MAX_BYTES
    assert re.search(r"listen 443 ssl", site) and "return 301 https://" in site
    assert "alias /srv/contest/app/static/;" in site
    assert "X-Forwarded-Proto $scheme" in site and "X-Forwarded-For" in site


def test_systemd_units_run_the_app_and_the_worker_from_the_checkout():
    units = {}
    for name in ("contest-web", "contest-jobs"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str  # keys are case-sensitive
        unit.read(ROOT / "deploy" / "systemd" / f"{name}.service")
        units[name] = unit["Service"]
    web, worker = units["contest-web"], units["contest-jobs"]
    assert web["ExecStart"].startswith("/srv/contest/app/.venv/bin/gunicorn")
    assert '"contest:create_app()"' in web["ExecStart"] and "--workers 4" in web["ExecStart"]
    assert "127.0.0.1:8000" in web["ExecStart"]
    assert "server 127.0.0.1:8000;" in SITE.read_text()
    assert worker["ExecStart"].endswith("flask --app contest jobs worker --workers 2")
    assert worker["KillSignal"] == "SIGINT"  # Huey's graceful stop: running jobs finish
    for service in (web, worker):
        assert service["EnvironmentFile"] == "/etc/contest/contest.env"
        assert service["User"] == "contest"


def test_the_environment_example_sets_only_settings_the_app_reads(monkeypatch):
    """Every line of deploy/contest.env.example reaches the app's configuration."""
    from contest import config

    example = ROOT / "deploy" / "contest.env.example"
    values = dict(line.split("=", 1) for line in example.read_text().splitlines()
                  if line and not line.startswith("#"))
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    read = config.from_environment()
    ignored = [n for n in values if n not in read and not (n == "DATABASE_URL"
                                                          and "SQLALCHEMY_DATABASE_URI" in read)]
    assert ignored == []
