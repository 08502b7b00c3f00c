"""The coordinator's list: search, filters, sort, a table with a bulk accept, pages, and the
mark of a family's new photo."""

import io
import re

import pytest

from contest.extensions import db
from contest.models import Entry, EntryStatus, Phase, Role

from .factories import jpeg


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def coordinator(make, login):
    person = make.user(Role.COORDINATOR, region=make.region("RU-MOW"))
    login(person)
    return person


def _titles(page: str) -> list[str]:
    return re.findall(r"«([^»]+)»", page)


def test_search_finds_by_number_name_school_and_town_in_any_case(client, make, contest,
                                                                  coordinator):
    masha = make.entry(contest, "RU-MOW", title="Кошка", child_first_name="Маша",
                       institution="Гимназия № 2", town="Зеленоград")
    make.entry(contest, "RU-MOW", title="Собака", child_first_name="Петя", town="Москва")
    make.entry(contest, "RU-TA", title="Чужая", child_first_name="Маша")  # another region
    for term in ("маша", "МАША ИВАНОВА", "гимназия", "зеленоград", str(masha.id),
                 f"№{masha.id}", masha.code.lower()):
        page = client.get("/coordinator/", query_string={"q": term, "status": "all"}).data
        assert _titles(page.decode()) == ["Кошка"], term
    page = client.get("/coordinator/", query_string={"q": "100%_", "status": "all"})
    assert page.status_code == 200 and _titles(page.data.decode()) == []  # no wildcard


def test_filters_and_sort(client, make, contest, coordinator):
    little = make.entry(contest, "RU-MOW", title="Малыш", age=5, town="Яхрома",
                        size=(3000, 2250))  # sharp enough for print
    make.entry(contest, "RU-MOW", title="Школьник", age=9, town="Апрелевка",
               size=(700, 500))  # too small for print
    page = client.get("/coordinator/", query_string={
        "status": "all", "category": little.age_category_id}).data.decode()
    assert _titles(page) == ["Малыш"]
    page = client.get("/coordinator/", query_string={"status": "all", "flag": "attention"})
    assert _titles(page.data.decode()) == ["Школьник"]
    page = client.get("/coordinator/", query_string={"status": "all", "sort": "town"})
    assert _titles(page.data.decode()) == ["Школьник", "Малыш"]  # Апрелевка, Яхрома
    page = client.get("/coordinator/", query_string={"status": "all", "sort": "newest"})
    assert _titles(page.data.decode()) == ["Школьник", "Малыш"]
    page = client.get("/coordinator/", query_string={"status": "all", "sort": "; DROP"})
    assert page.status_code == 200 and _titles(page.data.decode()) == ["Малыш", "Школьник"]


def test_pages_of_a_long_list(client, make, contest, coordinator):
    for n in range(50):
        make.entry(contest, "RU-MOW", title=f"Рисунок {n:02}", size=(400, 300))
    first = client.get("/coordinator/?status=all").data.decode()
    assert len(_titles(first)) == 48 and "страница 1 из 2" in first
    second = client.get("/coordinator/?status=all&page=2").data.decode()
    assert _titles(second) == ["Рисунок 48", "Рисунок 49"]
    table = client.get("/coordinator/?status=all&view=table").data.decode()
    assert len(re.findall(r'name="entry"', table)) == 50  # a table page holds a hundred
    assert client.get("/coordinator/?status=all&page=99999999999").status_code == 200


def test_bulk_accept_takes_only_waiting_entries_of_the_region(client, make, contest,
                                                              coordinator):
    waiting = [make.entry(contest, "RU-MOW") for _ in range(3)]
    rejected = make.entry(contest, "RU-MOW", status=EntryStatus.REJECTED)
    other = make.entry(contest, "RU-TA")
    table = client.get("/coordinator/?status=all&view=table").data.decode()
    assert "data-confirm=" in table and f'value="{rejected.id}"' not in table
    response = client.post("/coordinator/accept", data={
        "entry": [waiting[0].id, waiting[1].id, rejected.id], "next": "/coordinator/?view=table"})
    assert response.status_code == 302 and response.location.endswith("/coordinator/?view=table")
    assert [e.status for e in waiting] == [EntryStatus.ACCEPTED] * 2 + [EntryStatus.RECEIVED]
    assert rejected.status is EntryStatus.REJECTED
    page = client.get("/coordinator/").data.decode()
    assert "Приняты 2 рисунка" in page
    assert client.post("/coordinator/accept", data={"entry": [other.id]}).status_code == 404
    assert other.status is EntryStatus.RECEIVED


def test_bulk_accept_needs_a_choice_and_a_token(client, make, contest, coordinator, app):
    assert client.post("/coordinator/accept", data={}).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    entry = make.entry(contest, "RU-MOW")
    assert client.post("/coordinator/accept", data={"entry": [entry.id]}).status_code == 400
    assert entry.status is EntryStatus.RECEIVED


def test_a_new_photo_is_marked_until_the_coordinator_decides(client, make, contest,
                                                             coordinator, app):
    entry = make.entry(contest, "RU-MOW", status=EntryStatus.NEEDS_PHOTO, title="Фото")
    make.entry(contest, "RU-MOW", title="Другое")
    family = app.test_client()
    family.post(f"/status/{entry.code}/photo",
                data={"image": (io.BytesIO(jpeg(seed=77)), "better.jpg")})
    assert entry.new_photo_at is not None
    page = client.get("/coordinator/?status=all").data.decode()
    assert "Новое фото" in page
    marked = client.get("/coordinator/?status=all&flag=new_photo").data.decode()
    assert _titles(marked) == ["Фото"]
    client.post(f"/coordinator/entries/{entry.id}/moderate", data={"decision": "accepted"})
    db.session.refresh(entry)
    assert entry.new_photo_at is None
    assert _titles(client.get("/coordinator/?status=all&flag=new_photo").data.decode()) == []


def test_entries_other_than_the_regions_are_never_listed(client, make, contest, coordinator):
    make.entry(contest, "RU-TA", title="Казань")
    assert db.session.query(Entry).count() == 1
    for query in ({"q": "Казань"}, {"status": "all"}, {"flag": "attention"}):
        page = client.get("/coordinator/", query_string=query).data.decode()
        assert "Казань" not in _titles(page)
