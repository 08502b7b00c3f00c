"""bench/load.py is run by hand (`make bench`), not by the suite: here only its arguments and
its baseline app, without starting gunicorn, PostgreSQL or locust."""

import pytest

from bench.load import hello_app, parse_args, production_flags


def test_the_load_bench_takes_its_arguments():
    args = parse_args(["--seconds", "5", "--visitors", "20", "--only", "public,hello"])
    assert (args.seconds, args.visitors, args.parents, args.jurors) == (5, 20, 30, 10)
    assert args.only == ["public", "hello"] and args.workers == 4
    assert parse_args([]).only == ["public", "hello", "forms", "mixed"]
    with pytest.raises(SystemExit):
        parse_args(["--only", "public,everything"])


def test_the_baseline_answers_every_page():
    client = hello_app().test_client()
    for path in ("/", "/gallery/2026/17", "/status/ABC"):
        assert client.get(path).get_data(as_text=True) == "Hello, world!"


def test_the_load_bench_runs_gunicorn_as_the_production_unit_does():
    flags = production_flags()
    assert "--workers" not in flags and "--bind" not in flags  # the bench's own
    assert flags[flags.index("--timeout") + 1] == "600"
    assert int(flags[flags.index("--max-requests") + 1]) >= 10000
