"""More than one machine: two app processes (werkzeug servers in subprocesses, as two gunicorn
hosts would be) on one database (the test's SQLite file, or PostgreSQL with
``TEST_DATABASE_URL``), one job queue (Redis) and one S3 bucket (moto's server). A drawing
uploaded through one is seen and downloaded through the other."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from sqlalchemy import select

from contest.extensions import db
from contest.models import Entry, Phase, Role

from .factories import PASSWORD, jpeg
from .test_submit import form

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/5"
HOST = """
import json, sys
from werkzeug.serving import make_server
from contest import create_app
config, port = json.loads(sys.argv[1]), int(sys.argv[2])
make_server("127.0.0.1", port, create_app(config), threaded=True).serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_host(config: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-c", HOST, json.dumps(config), str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(1500):  # 0.02 s apart: a patient limit on a busy machine, not a timing
        if process.poll() is not None:
            raise AssertionError(f"the host stopped:\n{log.read_text()}")
        try:
            requests.get(f"{url}/privacy", timeout=5)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.02)
    process.kill()
    raise AssertionError(f"the host did not start:\n{log.read_text()}")


@pytest.fixture
def redis_queue():
    """A queue name of this test's own on the local Redis; skipped when Redis is not there."""
    redis = Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip(f"Redis is not reachable at {REDIS}: the shared queue cannot be tested")
    name = f"contest-test-{uuid.uuid4().hex[:8]}"
    yield name
    for key in redis.scan_iter(f"huey*{name}*"):
        redis.delete(key)
    redis.close()


@pytest.fixture
def hosts(s3_config, redis_queue, other_app, tmp_path):
    """Two app processes with one database, one queue and one bucket; and an app of the test's
    own on the same three (for factories and for taking jobs off the queue)."""
    config = {**s3_config, "JOBS_IMMEDIATE": False, "JOBS_URL": REDIS,
              "JOBS_NAME": redis_queue}
    started = []
    try:
        for name in ("a", "b"):
            started.append(_start_host(config, tmp_path / f"host-{name}.log"))
        with other_app(**config).app_context() as context:
            yield context.app, [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait()


def test_a_drawing_sent_through_one_host_is_seen_through_the_other(
        s3_endpoint, s3_bucket, hosts, make):
    app, (host_a, host_b) = hosts
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    fields = form(make)
    image = jpeg(seed=7)
    del fields["image"]

    family = requests.Session()
    sent = family.post(f"{host_a}/submit", data=fields, allow_redirects=False,
                       files={"image": ("drawing.jpg", image, "image/jpeg")}, timeout=60)
    assert sent.status_code == 302, sent.text[-2000:]
    code = re.fullmatch(r"/submit/done/([A-Z0-9]+)", sent.headers["Location"])[1]
    db.session.expire_all()
    entry = db.session.scalar(select(Entry).where(Entry.contest_id == contest.id))
    assert entry.code == code
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    objects = s3.list_objects_v2(Bucket=s3_bucket)["Contents"]
    assert sorted(o["Key"] for o in objects) == [
        f"site/{entry.image_key}/{name}" for name in ("preview.jpg", "print.jpg", "thumb.jpg")]

    # the family's receipt on the other host: the browser that sent it is known there too
    receipt = family.get(f"{host_b}/submit/done/{code}", timeout=60)
    assert receipt.status_code == 200 and "anna@example.org" in receipt.text  # unmasked
    thumb = family.get(f"{host_b}/status/{code}/drawing.jpg?size=thumb", timeout=60)
    assert thumb.content == s3.get_object(Bucket=s3_bucket,
                                          Key=f"site/{entry.image_key}/thumb.jpg")["Body"].read()

    coordinator = make.user(Role.COORDINATOR, region=entry.stage.region)
    staff = requests.Session()
    signed_in = staff.post(f"{host_b}/auth/login", allow_redirects=False, timeout=60,
                           data={"email": coordinator.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    drawing = staff.get(f"{host_b}/media/entries/{entry.id}/print.jpg", timeout=60)
    stored = s3.get_object(Bucket=s3_bucket, Key=f"site/{entry.image_key}/print.jpg")
    assert drawing.status_code == 200 and drawing.content == stored["Body"].read()
    assert staff.get(f"{host_a}/media/entries/{entry.id}/print.jpg", timeout=60).content \
        == drawing.content

    # the receipt's e-mail waits in the one queue, and any worker takes it
    huey = app.extensions["huey"]
    waiting = [task for task in huey.pending() if task.name == "deliver_message"]
    assert len(waiting) == 1
    assert huey.execute(huey.dequeue()) is None
    outbox = list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))
    assert len(outbox) == 1 and "anna@example.org" in outbox[0].read_text()
