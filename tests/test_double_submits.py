"""A form sent twice (a double click, a timeout, a browser's resend) is one entry, one sheet."""

import re
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from contest import entries
from contest.codes import format_code
from contest.extensions import db
from contest.judging.models import Mark, Sheet
from contest.models import Entry, Phase

from .factories import jpeg, judging_stage
from .test_submit import _batch, form


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def entry_count() -> int:
    return db.session.scalar(select(func.count(Entry.id)))


def form_key(client, url: str = "/submit") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page)[1]


def same_session(app, client) -> FlaskClient:
    """Another client (for another thread) holding ``client``'s session cookie."""
    other = FlaskClient(app, use_cookies=True)
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_each_rendering_of_the_form_has_its_own_key(client, contest):
    assert form_key(client) != form_key(client)


def test_a_resent_form_shows_the_first_receipt(app, client, make, contest):
    key = form_key(client)
    first = client.post("/submit", data=form(make, submission_key=key))
    again = client.post("/submit", data=form(make, submission_key=key))
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert entry_count() == 1
    assert len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))) == 1  # one receipt mailed
    receipt = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "anna@example.org" in receipt  # in full: this browser sent it


def test_a_resend_whose_first_sending_timed_out_still_finds_it(app, client, make, contest):
    """The first answer (and the cookie it set) never reached the browser."""
    key = form_key(client)
    lost = same_session(app, client).post("/submit", data=form(make, submission_key=key))
    again = client.post("/submit", data=form(make, submission_key=key))
    assert again.headers["Location"] == lost.headers["Location"]
    assert entry_count() == 1
    assert "anna@example.org" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_key_from_another_browser_opens_nothing(app, client, make, contest):
    key = form_key(client)
    client.post("/submit", data=form(make, submission_key=key))
    code = db.session.scalar(select(Entry.code))
    stranger = app.test_client()
    stranger.get("/submit")
    response = stranger.post("/submit", data=form(make, submission_key=key))
    assert response.status_code == 422  # an ordinary new sending: the same image is refused
    assert code not in response.get_data(as_text=True)
    assert format_code(code) not in response.get_data(as_text=True)
    assert entry_count() == 1


def test_the_same_key_stored_at_once_is_one_entry(client, make, contest, monkeypatch):
    """The second sending checked for the key before the first was stored: the unique key
    refuses its row, and it answers with the first one's receipt."""
    key = form_key(client)
    first = client.post("/submit", data=form(make, submission_key=key))
    real, calls = entries.sent_with_key, []

    def not_yet(k):
        calls.append(k)
        return None if len(calls) == 1 else real(k)

    monkeypatch.setattr(entries, "sent_with_key", not_yet)
    again = client.post("/submit", data=form(make, image=jpeg(seed=5), submission_key=key))
    assert again.headers["Location"] == first.headers["Location"]
    assert entry_count() == 1 and len(calls) == 2


def test_a_double_click_sends_one_entry(app, client, make, contest):
    key = form_key(client)
    clients = [same_session(app, client) for _ in range(2)]
    data = [form(make, submission_key=key) for _ in clients]
    start, answers = threading.Barrier(2), [None, None]

    def send(n):
        start.wait()
        answers[n] = clients[n].post("/submit", data=data[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [302, 302], answers[0].get_data(as_text=True)[:500]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert entry_count() == 1


CLASS = [f"{n}.jpg;Ученик{n};Петров;{7 + n};Рисунок {n};Петров П.;p{n}@example.org;да;да"
         for n in range(3)]


def school_batch(make, key: str, **overrides) -> dict:
    """The same class each time: its list and ZIP (new streams for every sending)."""
    return {**_batch(make, CLASS, {f"{n}.jpg": jpeg(seed=n) for n in range(3)}),
            "email": "school@example.org", "submission_key": key, **overrides}


def outbox(app) -> int:
    return len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")))


def test_each_rendering_of_the_batch_form_has_its_own_key(client, contest):
    assert form_key(client, "/submit/batch") != form_key(client, "/submit/batch")


def test_a_resent_batch_shows_the_codes_of_the_first_sending(app, client, make, contest):
    key = form_key(client, "/submit/batch")
    first = client.post("/submit/batch", data=school_batch(make, key))
    assert first.status_code == 302, first.get_data(as_text=True)[-2000:]
    mailed = outbox(app)  # three receipts and the school's list of codes
    again = client.post("/submit/batch", data=school_batch(make, key))
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert entry_count() == 3 and outbox(app) == mailed
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert all(format_code(e.code) in page for e in db.session.scalars(select(Entry)))


def test_a_resent_batch_whose_first_answer_was_lost_still_finds_it(app, client, make, contest):
    """The first answer (and the session cookie it set) never reached the browser."""
    key = form_key(client, "/submit/batch")
    lost = same_session(app, client).post("/submit/batch", data=school_batch(make, key))
    assert lost.status_code == 302
    again = client.post("/submit/batch", data=school_batch(make, key))
    assert again.headers["Location"] == lost.headers["Location"]
    assert entry_count() == 3
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert all(format_code(e.code) in page for e in db.session.scalars(select(Entry)))


def test_a_resent_batch_finds_its_entries_even_without_its_files(client, make, contest):
    """What counts is the key: a retry that lost an attachment still shows the codes."""
    key = form_key(client, "/submit/batch")
    first = client.post("/submit/batch", data=school_batch(make, key))
    again = client.post("/submit/batch", data={"submission_key": key})
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert entry_count() == 3


def test_a_batch_with_another_key_is_a_new_sending(app, client, make, contest):
    first = client.post("/submit/batch",
                        data=school_batch(make, form_key(client, "/submit/batch")))
    same_class = client.post("/submit/batch",
                             data=school_batch(make, form_key(client, "/submit/batch")))
    assert same_class.status_code == 422  # a new sending of the same drawings: refused
    assert entry_count() == 3
    other = _batch(make, ["a.jpg;Аня;Сидорова;8;Солнце;Сидорова М.;a@example.org;да;да"],
                   {"a.jpg": jpeg(seed=9)})
    second = client.post("/submit/batch",
                         data={**other, "submission_key": form_key(client, "/submit/batch")})
    assert second.status_code == 302 and second.headers["Location"] != first.headers["Location"]
    assert entry_count() == 4


def test_a_batch_key_from_another_browser_opens_nothing(app, client, make, contest):
    key = form_key(client, "/submit/batch")
    client.post("/submit/batch", data=school_batch(make, key))
    stranger = app.test_client()
    stranger.get("/submit/batch")
    response = stranger.post("/submit/batch", data=school_batch(make, key))
    assert response.status_code == 422  # an ordinary new sending: the same drawings refused
    assert not any(format_code(e.code) in response.get_data(as_text=True)
                   for e in db.session.scalars(select(Entry)))
    assert entry_count() == 3


def test_the_same_batch_stored_meanwhile_shows_its_codes(client, make, contest, monkeypatch):
    """The second sending looked for its key before the first was stored: the first's
    drawings refuse it, and it answers with the first one's codes."""
    key = form_key(client, "/submit/batch")
    first = client.post("/submit/batch", data=school_batch(make, key))
    real, calls = entries.sent_in_batch, []

    def not_yet(k):
        calls.append(k)
        return [] if len(calls) == 1 else real(k)

    monkeypatch.setattr(entries, "sent_in_batch", not_yet)
    again = client.post("/submit/batch", data=school_batch(make, key))
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert entry_count() == 3 and len(calls) == 2


def test_a_double_click_on_a_new_sheet_saves_it_once(app, client, login, make):
    contest, stage, made, jurors = judging_stage(make)
    login(jurors[0])
    url = f"/jury/{stage.id}/entries/{made[0].id}"
    clients = [same_session(app, client) for _ in range(2)]
    marks = {f"c{c.id}": "7" for c in contest.criteria}
    start, answers = threading.Barrier(2), [None, None]

    def save(n):
        start.wait()
        answers[n] = clients[n].post(url, data={**marks, "action": "save"})

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Sheet.id))) == 1
    assert db.session.scalar(select(func.count()).select_from(Mark)) == len(contest.criteria)
