"""No address anyone can type makes the server fail: every route of the URL map, for every
role, with hostile values in every path and query parameter (and in a POST's fields)."""

import re
from urllib.parse import quote

import pytest

from contest.models import Role
from contest.submit.routes import BATCHES_KEY

from .factories import judging_stage

HOSTILE = [
    "99999999999999999999999999",  # overflows PostgreSQL's and SQLite's integers
    "2147483648",  # one past PostgreSQL's INTEGER
    "-1",
    "0",
    "1\r\nSet-Cookie: x=1",  # a line break, as a header injection would try
    "../../../etc/passwd",
    "x" * 5000,
    "Рисунок 😀 \u202egpj.exe\x00",  # unicode, a bidirectional override and a NUL
]
# Query and form fields the app reads, all given the hostile value at once.
FIELDS = ["page", "contest", "stage", "region", "category", "status", "lang", "next", "size",
          "year", "slot", "entry", "fact", "juror", "action", "decision", "reason", "degrees",
          "x", "y", "w", "h", "code", "email", "password", "kind", "format", "clear", "masks",
          "title", "name", "withdraw-child_first_name", "withdraw-child_last_name",
          "consents-show_name", "consents-print"]
ROLES = ["anonymous", "family", "coordinator", "juror", "organizer"]


@pytest.fixture
def world(make, client, login):
    """A contest in regional judging: Moscow's accepted entries, its jurors, a coordinator."""
    contest, stage, entries, jurors = judging_stage(make)
    people = {"coordinator": make.user(Role.COORDINATOR, region=stage.region),
              "juror": jurors[0], "organizer": make.user(Role.ORGANIZER)}
    valid = {"contest_id": contest.id, "stage_id": stage.id, "entry_id": entries[0].id,
             "user_id": jurors[1].id, "category_id": contest.age_categories[0].id,
             "criterion_id": contest.criteria[0].id, "year": contest.year,
             "code": entries[0].code, "kind": "preview", "fmt": "csv", "slot": 1,
             "key": "k", "name": "calendar.pdf", "fact_id": 1, "job_id": 1, "export_id": 1,
             "message_id": 1, "token": "not-a-token", "partner_id": 1}
    return people, valid


def _url(rule, values: dict) -> str:
    def fill(match):
        name = match.group(1)
        return quote(str(values[name]), safe="")
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>", fill, rule.rule)


@pytest.mark.parametrize("role", ROLES)
def test_no_route_fails_on_hostile_input(app, client, login, world, role):
    people, valid = world
    if role in people:
        login(people[role])
    elif role == "family":
        with client.session_transaction() as session:
            session[BATCHES_KEY] = [["k", [valid["entry_id"]]]]
    failures = []
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: r.rule)
    for rule in rules:
        for method in sorted(rule.methods & {"GET", "POST"}):
            for value in HOSTILE:
                hostile_path = _url(rule, dict.fromkeys(rule.arguments, value))
                fields = dict.fromkeys(FIELDS, value)
                attempts = [(_url(rule, valid), fields)]
                if rule.arguments:
                    attempts.append((hostile_path, {}))
                for url, query in attempts:
                    response = client.open(url, method=method, query_string=query,
                                           data=query if method == "POST" else None)
                    if response.status_code >= 500:
                        failures.append((method, rule.rule, url[:80], value[:30],
                                         response.status_code))
    assert not failures
