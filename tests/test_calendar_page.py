"""The calendar page without reloads: the page's own requests (htmx, header HX-Request) get only
the parts that changed, the same forms keep working without JavaScript, and "fill from the
ranking" proposes drawings that pass every rule."""

import re

import pytest
from sqlalchemy import select

from contest import wall_calendar
from contest.extensions import db
from contest.judging.models import Placement
from contest.models import EntryStatus, Phase, Role, Stage, StageKind
from contest.wall_calendar import Options

from .factories import PASSWORD

HTMX = {"HX-Request": "true"}


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def region(make):
    return make.region("RU-TA")


@pytest.fixture
def drawings(make, contest):
    """Thirteen accepted drawings in Tatarstan, sharp enough for A4, all age categories."""
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 9]
    return [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                       size=(2480, 1754)) for age in ages]


@pytest.fixture
def coordinator(make, login, region):
    return login(make.user(Role.COORDINATOR, region=region))


def swapped(response) -> list[str]:
    """The ids of the parts an htmx answer swaps in place."""
    return re.findall(r'id="([^"]+)"[^>]*hx-swap-oob', response.data.decode())


def placed(contest, region) -> dict[int, int]:
    return {s: p.entry_id for s, p in wall_calendar.board(contest, region).items() if p.entry_id}


def test_a_placement_answers_the_page_with_only_what_changed(client, contest, region, drawings,
                                                             coordinator):
    response = client.post("/calendar/assign", headers=HTMX,
                           data={"slot": 4, "entry": drawings[0].id})
    assert response.status_code == 200
    html = response.data.decode()
    assert "<html" not in html  # a partial, not the page
    assert swapped(response) == ["calendar-messages", "slot-4", f"candidate-{drawings[0].id}",
                                 "rules-list", "page-preview"]
    assert "/calendar/preview/4.png" in html  # the preview shows the page just filled
    assert "стоит на странице: апрель" in html  # the card says where the drawing went
    assert placed(contest, region) == {4: drawings[0].id}

    # moving it to May changes both months and the card, nothing else
    response = client.post("/calendar/assign", headers=HTMX,
                           data={"slot": 5, "entry": drawings[0].id})
    assert swapped(response) == ["calendar-messages", "slot-4", "slot-5",
                                 f"candidate-{drawings[0].id}", "rules-list", "page-preview"]
    assert placed(contest, region) == {5: drawings[0].id}


def test_without_javascript_the_same_form_comes_back_to_the_page(client, contest, region,
                                                                 drawings, coordinator):
    response = client.post("/calendar/assign", data={"slot": 2, "entry": drawings[1].id})
    assert response.status_code == 302
    assert "show=2" in response.location
    page = client.get(response.location).data.decode()
    assert "<html" in page and 'id="slot-2"' in page
    assert "/calendar/preview/2.png" in page
    assert "стоит на странице: февраль" in page
    assert placed(contest, region) == {2: drawings[1].id}


def test_a_refused_placement_is_said_in_the_page_in_the_users_language(client, make, contest,
                                                                       region, drawings,
                                                                       coordinator):
    refused = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(2480, 1754))
    refused.consents[[c.kind for c in refused.consents].index("print")].granted = False
    db.session.commit()
    response = client.post("/calendar/assign", headers=HTMX, data={"slot": 3, "entry": refused.id})
    assert response.status_code == 200
    assert "не разрешила печатать" in response.data.decode()
    assert swapped(response)[0] == "calendar-messages"
    assert placed(contest, region) == {}
    # a drawing that does not exist is refused in words too, and the page stays as it was
    client.post("/calendar/assign", data={"slot": 3, "entry": drawings[0].id})
    response = client.post("/calendar/assign", headers=HTMX, data={"slot": 3, "entry": 999999})
    assert "Рисунка с таким номером нет" in response.data.decode()
    assert placed(contest, region) == {3: drawings[0].id}
    # in English for a person who chose English
    client.post("/language", data={"lang": "en", "next": "/calendar"})
    response = client.post("/calendar/assign", headers=HTMX, data={"slot": 3, "entry": refused.id})
    assert "did not allow printing" in response.data.decode()


def test_roles(client, make, login, contest, region, drawings):
    """Organizers place on any calendar, a coordinator on their region's only, no one else."""
    other = make.region("RU-MOW")
    make.stage(contest, "RU-MOW")
    login(make.user(Role.COORDINATOR, region=other))
    # a coordinator's calendar is their own region's, whatever the form says
    response = client.post("/calendar/assign", headers=HTMX,
                           data={"slot": 1, "entry": drawings[0].id, "region": region.id})
    assert "Рисунка с таким номером нет" in response.data.decode()
    assert placed(contest, region) == {} and placed(contest, other) == {}
    client.post("/auth/logout")
    login(make.user(Role.ORGANIZER))
    response = client.post("/calendar/assign", headers=HTMX,
                           data={"slot": 1, "entry": drawings[0].id, "region": region.id})
    assert response.status_code == 200 and placed(contest, region) == {1: drawings[0].id}
    client.post("/auth/logout")
    login(make.user(Role.JUROR))
    for url in ("/calendar/assign", "/calendar/fill", "/calendar/fact"):
        assert client.post(url, headers=HTMX, data={"slot": 1, "entry": drawings[1].id,
                                                    "region": region.id}).status_code == 403
    client.post("/auth/logout")
    response = client.post("/calendar/fill", headers=HTMX, data={"region": region.id})
    assert response.status_code == 302 and "/auth/login" in response.location
    assert placed(contest, region) == {1: drawings[0].id}


def test_the_pages_requests_send_the_csrf_token_in_a_header(other_app, make, contest, region,
                                                            drawings):
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    coordinator = make.user(Role.COORDINATOR, region=region)
    page = client.get("/auth/login").data.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    client.post("/auth/login", data={"email": coordinator.email, "password": PASSWORD,
                                     "csrf_token": token})
    page = client.get("/calendar").data.decode()
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page)[1]
    without = client.post("/calendar/assign", headers=HTMX,
                          data={"slot": 1, "entry": drawings[0].id})
    assert without.status_code == 400
    assert "Форма устарела" in without.data.decode()
    assert swapped(without) == ["calendar-messages"]  # said in the page, not an error page
    assert placed(contest, region) == {}
    with_header = client.post("/calendar/assign", headers={**HTMX, "X-CSRFToken": header},
                              data={"slot": 1, "entry": drawings[0].id})
    assert with_header.status_code == 200
    assert placed(contest, region) == {1: drawings[0].id}


def rank(contest, region, order):
    """The regional jury's ranking: ``order[0]`` first, within its age category."""
    stage = db.session.scalar(select(Stage).where(
        Stage.contest_id == contest.id, Stage.region_id == region.id,
        Stage.kind == StageKind.REGIONAL))
    for n, entry in enumerate(order):
        db.session.add(Placement(
            stage_id=stage.id, entry_id=entry.id, category_id=entry.age_category_id,
            rank=1 + n // 4, raw_rank=None, jurors=3, raw_mean=9 - n * .1,
            adjusted_mean=9 - n * .1, computed_finalist=n < 4, close_call=False,
            decided_by=None, conflicts=0, sheets=[]))
    db.session.commit()


def test_fill_from_the_ranking_fills_empty_pages_with_drawings_that_pass_every_rule(
        client, make, contest, region, drawings, coordinator):
    contest.entries_per_child = 2
    twin = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(2480, 1754),
                      child_first_name=drawings[0].child_first_name, age=drawings[0].age)
    panorama = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(3600, 900))
    best_first = [panorama, *reversed(drawings)]
    rank(contest, region, best_first)
    assert wall_calendar.ranked(contest, region)[:4] == best_first[:4]
    assert wall_calendar.ranked(contest, region)[-1] == twin  # not ranked: last
    client.post("/calendar/assign", data={"slot": 0, "entry": twin.id})  # placed by hand

    response = client.post("/calendar/fill", headers=HTMX)
    html = response.data.decode()
    pages = placed(contest, region)
    assert pages[0] == twin.id  # never overwritten
    # The twin's child is on the cover, so that child's other drawing is refused (one per
    # child); the panorama ranked first would print small on any page (its shape).
    assert drawings[0].id not in pages.values() and panorama.id not in pages.values()
    assert [pages[s] for s in range(1, 13)] == [e.id for e in reversed(drawings[1:])]
    assert "Заполнено по рейтингу страниц: 12." in html and "Не заполнены" not in html
    checks = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert all(c.ok for c in checks.values()), [c.message for c in checks.values() if not c.ok]
    assert {f"slot-{s}" for s in range(1, 13)} <= set(swapped(response))

    # asked to, it replaces what was placed, by the ranking: the twin (not ranked) goes
    client.post("/calendar/fill", headers=HTMX, data={"replace": "1"})
    assert placed(contest, region) == {s: e.id for s, e in enumerate(reversed(drawings))}


def test_fill_says_which_pages_it_could_not_fill_and_why(client, contest, region, drawings,
                                                        make, coordinator):
    """Without JavaScript too: the report is on the page after the redirect, once."""
    refused = drawings[5]
    refused.consents[[c.kind for c in refused.consents].index("print")].granted = False
    make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(3600, 900))  # a panorama
    db.session.commit()
    response = client.post("/calendar/fill")
    assert response.status_code == 302
    page = client.get(response.location).data.decode()
    assert "Заполнено по рейтингу страниц: 12." in page
    report = page[page.index("Не заполнены:"):]
    report = report[:report.index("</ul>")]
    assert "декабрь" in report  # the last page, once the drawings ran out
    assert "Форма рисунка не подходит к макету" in report  # the panorama, tried last
    assert f"№{refused.id}</li>" not in page  # no consent to print: never proposed
    assert placed(contest, region).get(12) is None
    assert "Заполнено по рейтингу" not in client.get("/calendar").data.decode()  # said once


def test_the_list_of_drawings_is_paged_and_searched(client, make, contest, region, drawings,
                                                    coordinator):
    named = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(2480, 1754),
                       title="Жёлтый трамвай")
    client.post("/calendar/assign", data={"slot": 1, "entry": drawings[0].id})
    page = client.get("/calendar").data.decode()
    assert len(re.findall(r'id="candidate-\d+"', page)) == 14 and "Найдено 14 рисунков" in page
    # no page's control lists the drawings: a number field, and a card offers the 13 pages
    assert page.count('name="entry" type="text"') == 13
    assert '<select id="entry-' not in page and 'name="entry"><option' not in page
    card = page[page.index(f'id="candidate-{named.id}"'):]
    card = card[:card.index("</li>")]
    assert card.count("<option") == 13
    # the newest first where the jury has not ranked
    assert page.index(f'id="candidate-{named.id}"') < page.index(f'id="candidate-{drawings[5].id}"')

    def listed(query: str, **headers) -> list[int]:
        html = client.get(f"/calendar?{query}", headers=headers).data.decode()
        return [int(n) for n in re.findall(r'id="candidate-(\d+)"', html)]

    assert listed("q=трамвай") == [named.id]
    assert listed(f"q={named.id}") == [named.id]
    assert listed(f"q=№{drawings[3].id}")[0] == drawings[3].id
    assert listed(f"q={drawings[3].child_first_name}") != []
    assert listed("q=нет+такого+рисунка") == []
    assert "Ни один рисунок не подходит" in client.get("/calendar?q=zzzz").data.decode()
    unused = listed("unused=1")
    assert drawings[0].id not in unused and len(unused) == 13
    category = drawings[1].age_category_id
    assert set(listed(f"category={category}")) == {
        e.id for e in [*drawings, named] if e.age_category_id == category}
    # 24 a page; the second page has the rest; a page past the end shows the last one
    for _ in range(12):
        make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(1200, 900))
    first, second = listed("page=1"), listed("page=2")
    assert len(first) == 24 and len(second) == 2 and not set(first) & set(second)
    assert listed("page=99") == second and listed("page=x") == first
    html = client.get("/calendar").data.decode()
    assert "страница 1 из 2" in html and 'hx-get="/calendar?contest=' in html
    assert "page=2" in html
    # the page's script asks for the list alone; without it the whole page comes back
    alone = client.get("/calendar?page=2", headers={**HTMX, "HX-Target": "candidate-list"})
    text = alone.data.decode()
    assert "<html" not in text and text.count('id="candidate-list"') == 1
    assert [int(n) for n in re.findall(r'id="candidate-(\d+)"', text)] == second
    assert "<html" in client.get("/calendar?page=2").data.decode()


def test_a_drawing_is_placed_by_its_number_or_from_its_card(client, make, contest, region,
                                                             drawings, coordinator):
    # by its number typed under the page (the № sign and spaces are forgiven)
    response = client.post("/calendar/assign", data={"slot": 2, "entry": f" №{drawings[1].id} "})
    assert response.status_code == 302 and placed(contest, region) == {2: drawings[1].id}
    # from its card: the page chosen in the card's menu
    client.post("/calendar/assign", headers=HTMX, data={"slot": 7, "entry": drawings[2].id})
    assert placed(contest, region) == {2: drawings[1].id, 7: drawings[2].id}
    # removed with the page's "Remove" button
    client.post("/calendar/assign", data={"slot": 7, "entry": drawings[2].id, "clear": "1"})
    assert placed(contest, region) == {2: drawings[1].id}

    other = make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED, size=(2480, 1754))
    refused = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(2480, 1754))
    refused.consents[[c.kind for c in refused.consents].index("print")].granted = False
    waiting = make.entry(contest, "RU-TA", size=(2480, 1754))  # not accepted
    db.session.commit()
    for number, said in [("abc", "только цифры"), ("12345678901", "только цифры"),
                         ("99999999", "Рисунка с таким номером нет"),
                         (str(other.id), "Рисунка с таким номером нет"),
                         (str(waiting.id), "Рисунка с таким номером нет"),
                         (str(refused.id), "не разрешила печатать")]:
        response = client.post("/calendar/assign", headers=HTMX, data={"slot": 2, "entry": number})
        assert response.status_code == 200 and said in response.data.decode(), number
        assert placed(contest, region) == {2: drawings[1].id}, number
        # without JavaScript: the same words on the page it comes back to
        response = client.post("/calendar/assign", data={"slot": 2, "entry": number},
                               follow_redirects=True)
        assert said in response.data.decode(), number
    assert placed(contest, region) == {2: drawings[1].id}


def test_the_cards_swapped_in_are_those_the_list_shows(client, contest, region, drawings,
                                                       coordinator):
    shown = {"X-Calendar-Cards": f"{drawings[1].id},{drawings[4].id}"}
    client.post("/calendar/assign", headers=HTMX, data={"slot": 1, "entry": drawings[0].id})
    response = client.post("/calendar/assign", headers={**HTMX, **shown},
                           data={"slot": 1, "entry": drawings[1].id})
    assert f"candidate-{drawings[1].id}" in swapped(response)
    assert f"candidate-{drawings[0].id}" not in swapped(response)  # moved, but not in the list
