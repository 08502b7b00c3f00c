"""'Lost your code?': the codes of the drawings sent with an address, by e-mail to that
address (a real SMTP server); the page answers the same whether or not there are any."""

import re

from contest.codes import format_code
from contest.extensions import db
from contest.models import Phase, utcnow


def _page(response) -> str:
    """The answer's text without its CSRF tokens (they carry the second they were made)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.data.decode())



def _ask(client, address):
    return client.post("/status/lost-code", data={"email": address})


def test_the_codes_go_to_the_address_they_were_sent_with(app, make, client, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    mine = [make.entry(contest, guardian_email="mama@example.org", child_first_name=f"Дочь{n}")
            for n in range(2)]
    other = make.entry(contest, guardian_email="other@example.org")
    smtp.received.clear()  # the receipts
    assert "Потеряли код?" in client.get("/status").data.decode()
    known = _ask(client, " Mama@Example.org ")
    unknown = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200 and _page(known) == _page(unknown)
    (message,) = smtp.received
    assert message["To"] == "mama@example.org"
    assert message["Subject"] == "Коды ваших рисунков"
    text = smtp.text(message)
    for entry in mine:
        assert format_code(entry.code) in text and f"/status/{entry.code}" in text
    assert format_code(other.code) not in text
    assert "Дочь" not in text  # only the contest's own text and the codes


def test_english_for_a_family_that_wrote_in_english(app, make, client, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    make.entry(contest, guardian_email="mum@example.org", locale="en")
    smtp.received.clear()
    _ask(client, "mum@example.org")
    (message,) = smtp.received
    assert message["Subject"] == "Your drawings' tracking codes"


def test_erased_entries_are_not_sent(app, make, client, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, guardian_email="mama@example.org")
    entry.personal_data_erased_at = utcnow()
    db.session.commit()
    smtp.received.clear()
    assert _ask(client, "mama@example.org").status_code == 200
    assert smtp.received == []


def test_a_few_a_day_per_address(app, make, client, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    make.entry(contest, guardian_email="mama@example.org")
    smtp.received.clear()
    answers = {_page(_ask(client, "mama@example.org"))
               for _ in range(app.config["MAIL_LINKS_PER_HOUR"] + 2)}
    assert len(answers) == 1
    assert len(smtp.received) == app.config["MAIL_LINKS_PER_HOUR"]


def test_a_few_an_hour_per_network(other_app):
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    codes = [_ask(client, f"x{n}@example.org").status_code for n in range(11)]
    assert codes == [200] * 10 + [429]


def test_not_an_address(client, smtp):
    response = _ask(client, "not an address")
    assert response.status_code == 422 and smtp.received == []
