"""The shipped deployment files (deploy/) are valid as they are."""

import configparser
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from contest.config import Defaults

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "contest.conf"
ACCESS_LOG = "/var/log/nginx/access.log"


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
    # The site as shipped, but logging here: nginx -t opens the log files it names.
    site = tmp_path / "contest.conf"
    site.write_text(SITE.read_text().replace(ACCESS_LOG, str(tmp_path / "access.log")))
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
    include {site};
}}
""")
    command = [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr
    # What the site promises, as nginx itself reads it.
    dumped = subprocess.run([*command, "-T"], capture_output=True, text=True, check=True).stdout
    site = dumped[dumped.index(f"# configuration file {site}:"):]
    assert "proxy_request_buffering on;" in site
    limit = re.search(r"client_max_body_size (\d+)m;", site)
    assert int(limit[1]) * 1024 * 1024 == Defaults.MAX_CONTENT_LENGTH
    batch = re.search(r"location = /submit/batch \{[^}]*client_max_body_size (\d+)m;", site)
    assert int(batch[1]) * 1024 * 1024 == Defaults.BATCH_MAX_BYTES
    assert re.search(r"listen 443 ssl", site) and "return 301 https://" in site
    assert "alias /srv/contest/app/static/;" in site
    assert "X-Forwarded-Proto $scheme" in site and "X-Forwarded-For" in site


def test_nginx_logs_no_tracking_code(nginx, tmp_path):
    """nginx itself, with the site's log format, writes a status page's address and referrer
    with [code] in place of the code (the site's own server needs TLS and the app; this one
    answers 204 on a free port and logs as the site does)."""
    shipped = SITE.read_text()
    assert shipped.count(f"access_log {ACCESS_LOG} contest_private;") == 2  # both servers
    formats = shipped[shipped.index("map $request_uri"):shipped.index("upstream contest_app")]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temp = tmp_path / "temp"
    temp.mkdir()
    log = tmp_path / "access.log"
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
daemon off;
events {{}}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{formats}
    server {{
        listen 127.0.0.1:{port};
        access_log {log} contest_private;
        return 204;
    }}
}}
""")
    server = subprocess.Popen([nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                               "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        for path, referer in [("/status/ABCDEFGHJK/drawing.jpg?size=thumb", "/status/ABCDEFGHJK"),
                              ("/submit/done/ABCDEFGHJK", "/submit"),
                              ("/status/confirm/eyJlbnRyeSI6MX0.Zx.sig", "/"),
                              ("/gallery/2026", "/status/abcd-efg-hjk")]:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Referer": f"https://site{referer}"})
            with urllib.request.urlopen(request) as response:
                assert response.status == 204
    finally:
        server.terminate()
        server.wait(timeout=10)
    lines = log.read_text()
    assert "GET /status/[code]/drawing.jpg?size=thumb HTTP" in lines
    assert '"https://site/status/[code]"' in lines and "GET /submit/done/[code] HTTP" in lines
    assert "GET /status/confirm/[code] HTTP" in lines and "GET /gallery/2026 HTTP" in lines
    for secret in ("ABCDEFGHJK", "abcd-efg-hjk", "eyJlbnRyeSI6MX0"):
        assert secret not in lines


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
