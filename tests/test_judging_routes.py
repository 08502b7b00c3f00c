"""Every jury route for every kind of visitor; blind judging; closed stages; public results."""

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.judging import operations
from contest.judging.models import Sheet
from contest.models import AuditLog, Phase, Role, StageStatus
from contest.rules import MIN_JURORS_PER_ENTRY

from .factories import judging_stage, score
from .judging.stages import national_stage

PRIVATE = dict(child_first_name="Евлампия", child_last_name="Тихомирова", town="Урюпинск",
               institution="Художественная школа №777", guardian_name="Тихомирова Ольга",
               guardian_email="olga.tikhomirova@example.org", guardian_phone="+79990001122")


@pytest.fixture
def world(make):
    """Moscow's stage (judging open) and Tatarstan's, each with entries and a juror."""
    contest, mow, entries, jurors = judging_stage(make)
    contest.phase = Phase.SUBMISSIONS_OPEN
    secret = make.entry(contest, "RU-MOW", **PRIVATE)
    ta_entry = make.entry(contest, "RU-TA")
    for e in (secret, ta_entry):
        e.status = entries[0].status
    contest.phase = Phase.REGIONAL_JUDGING
    ta = make.stage(contest, "RU-TA")
    ta_juror = make.user(Role.JUROR, stage=ta)
    operations.change_status(ta, StageStatus.JUDGING_OPEN)
    db.session.commit()
    return dict(contest=contest, mow=mow, ta=ta, entry=entries[0], entries=[*entries, secret],
                secret=secret, juror=jurors[0], jurors=jurors, ta_juror=ta_juror,
                ta_entry=ta_entry,
                coordinator=make.user(Role.COORDINATOR, region=make.region("RU-MOW")),
                ta_coordinator=make.user(Role.COORDINATOR, region=make.region("RU-TA")),
                organizer=make.user(Role.ORGANIZER))


def marks(contest, value=7, **extra):
    return {**{f"c{c.id}": str(value) for c in contest.criteria}, **extra}


def juror_routes(w):
    s, e = w["mow"].id, w["entry"].id
    return [("get", "/jury/", None), ("get", f"/jury/{s}/", None), ("get", f"/jury/{s}/next", None),
            ("get", f"/jury/{s}/entries/{e}", None),
            ("post", f"/jury/{s}/entries/{e}", marks(w["contest"], action="save")),
            ("post", f"/jury/{s}/entries/{e}/conflict", {"note": "ученик"}),
            ("get", f"/media/entries/{e}/jury.jpg", None)]


def call(client, method, url, data):
    return getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)


def test_the_stages_juror_uses_every_juror_route(client, login, world):
    login(world["juror"])
    codes = [call(client, m, u, d).status_code for m, u, d in juror_routes(world)]
    assert codes == [200, 200, 302, 200, 302, 302, 200]


def test_a_juror_of_another_stage_gets_404_everywhere(client, login, world):
    login(world["ta_juror"])
    codes = [call(client, m, u, d).status_code for m, u, d in juror_routes(world)[1:]]
    assert codes == [404] * 6
    assert client.get("/jury/").status_code == 200  # their own list, without Moscow
    assert world["mow"].name not in client.get("/jury/").get_data(as_text=True)
    for url in [f"/media/entries/{world['entry'].id}/{k}.jpg" for k in ("preview", "thumb", "print")]:
        assert client.get(url).status_code == 404
    assert not db.session.scalars(select(Sheet)).all()


@pytest.mark.parametrize("who", ["coordinator", "organizer"])
def test_staff_are_not_jurors(client, login, world, who):
    login(world[who])
    for method, url, data in juror_routes(world)[:6]:
        assert call(client, method, url, data).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url, data in juror_routes(world)[:6] + staff_routes(world):
        response = call(client, method, url, data)
        assert response.status_code == 302 and "/auth/login" in response.location, url
    assert client.get(f"/media/entries/{world['entry'].id}/jury.jpg").status_code == 404


def staff_routes(w):
    s, e = w["mow"].id, w["entry"].id
    return [("get", "/stages/", None), ("get", f"/stages/{s}", None),
            ("get", f"/stages/{s}/ranking", None),
            ("get", f"/stages/{s}/results.csv", None), ("get", f"/stages/{s}/results.xlsx", None),
            ("post", f"/stages/{s}/entries/{e}/override", {"finalist": "0", "reason": "копия"}),
            ("post", f"/stages/{s}/settings", {"finalists_per_category": "2"}),
            ("post", f"/stages/{s}/jurors", {"juror": str(w["ta_juror"].id)}),
            ("post", f"/stages/{s}/jurors/{w['ta_juror'].id}/remove", {}),
            ("post", f"/stages/{s}/status", {"target": "published"})]


@pytest.fixture
def closed(world):
    for juror in world["jurors"]:
        for n, entry in enumerate(world["entries"]):
            score(world["mow"], juror, entry, 5 + n, 6, 7)
    operations.change_status(world["mow"], StageStatus.JUDGING_CLOSED)
    db.session.commit()
    return world


@pytest.mark.parametrize("who, expected", [
    ("organizer", [200, 200, 200, 200, 200, 302, 302, 302, 302, 302]),
    ("coordinator", [200, 200, 200, 200, 200, 302, 403, 403, 403, 302]),
    ("ta_coordinator", [200] + [404] * 9),
    ("juror", [404] * 10),
    ("ta_juror", [404] * 10),
])
def test_stage_pages_for_each_kind_of_visitor(client, login, closed, who, expected):
    login(closed[who])
    codes = [call(client, m, u, d).status_code for m, u, d in staff_routes(closed)]
    assert codes == expected
    stages_page = client.get("/stages/").get_data(as_text=True) if expected[0] == 200 else ""
    if who == "ta_coordinator":
        assert closed["mow"].name not in stages_page and closed["ta"].name in stages_page


def test_a_coordinator_does_not_manage_the_national_stage(client, login, world):
    login(world["coordinator"])
    national = world["contest"].national_stage
    assert client.get(f"/stages/{national.id}").status_code == 404
    assert client.post(f"/stages/{national.id}/status",
                       data={"target": "judging_open"}).status_code == 404


def test_juror_pages_never_show_who_drew_it(client, login, world):
    login(world["juror"])
    stage, secret = world["mow"], world["secret"]
    pages = [client.get(f"/jury/{stage.id}/").get_data(as_text=True),
             client.get(f"/jury/{stage.id}/entries/{secret.id}").get_data(as_text=True),
             client.get("/jury/").get_data(as_text=True)]
    for page in pages:
        for value in PRIVATE.values():
            assert value not in page
        assert secret.code not in page
    assert "«" + secret.title + "»" in pages[1] and secret.age_category.name in pages[1]
    assert f"/media/entries/{secret.id}/jury.jpg" in pages[1]


def test_a_juror_never_sees_other_jurors_marks(client, login, world):
    stage, entry, (me, other, _) = world["mow"], world["entry"], world["jurors"]
    score(stage, other, entry, 2, 2, 2, comment="Слабая композиция, комментарий коллеги")
    login(me)
    page = client.get(f"/jury/{stage.id}/entries/{entry.id}").get_data(as_text=True)
    assert "checked" not in page and "комментарий коллеги" not in page


def test_the_sheet_shows_labelled_levels_and_progress(client, login, world):
    login(world["juror"])
    stage, entry = world["mow"], world["entry"]
    page = client.get(f"/jury/{stage.id}/entries/{entry.id}").get_data(as_text=True)
    assert "0 из 4" in page
    assert "слабо" in page and "отлично" in page
    assert page.count('type="radio"') == 10 * len(world["contest"].criteria)
    due = world["contest"].regional_judging_until
    assert "Оценки нужно поставить до" in page and str(due.year) in page  # the deadline


def test_save_and_next_serves_the_next_unscored_entry(client, login, world):
    login(world["juror"])
    stage, (first, second, *_) = world["mow"], world["entries"]
    response = client.post(f"/jury/{stage.id}/entries/{first.id}",
                           data=marks(world["contest"], 8, action="next", comment="Ярко"))
    assert response.location.endswith(f"/jury/{stage.id}/entries/{second.id}")
    sheet = operations.sheet_of(stage, world["juror"], first)
    assert sheet.complete and sheet.comment == "Ярко"
    page = client.get(response.location).get_data(as_text=True)
    assert "1 из 4" in page


def test_a_sheet_needs_every_criterion(client, login, world):
    login(world["juror"])
    stage, entry = world["mow"], world["entry"]
    data = marks(world["contest"], action="next")
    data.pop(f"c{world['contest'].criteria[0].id}")
    response = client.post(f"/jury/{stage.id}/entries/{entry.id}", data=data)
    assert response.status_code == 422 and operations.sheet_of(stage, world["juror"], entry) is None


def test_a_declared_conflict_reaches_the_coordinator(client, login, world):
    stage, entry = world["mow"], world["entry"]
    login(world["juror"])
    client.post(f"/jury/{stage.id}/entries/{entry.id}/conflict", data={"note": "моя ученица"})
    assert operations.sheet_of(stage, world["juror"], entry).conflict
    page = client.get(f"/jury/{stage.id}/entries/{entry.id}").get_data(as_text=True)
    assert 'type="radio"' not in page
    login(world["coordinator"])
    page = client.get(f"/stages/{stage.id}").get_data(as_text=True)
    assert "моя ученица" in page and world["juror"].name in page
    assert f"№ {entry.id} «{entry.title}»" in page and entry.code not in page


def test_nobody_scores_a_closed_stage(client, login, closed):
    stage, entry, juror = closed["mow"], closed["entry"], closed["juror"]
    before = operations.sheet_of(stage, juror, entry).mark(closed["contest"].criteria[0].id)
    login(juror)
    response = client.post(f"/jury/{stage.id}/entries/{entry.id}",
                           data=marks(closed["contest"], 1, action="save"))
    assert response.status_code == 409
    response = client.post(f"/jury/{stage.id}/entries/{entry.id}/conflict", data={})
    assert response.status_code == 409
    sheet = operations.sheet_of(stage, juror, entry)
    assert sheet.mark(closed["contest"].criteria[0].id) == before and not sheet.conflict
    page = client.get(f"/jury/{stage.id}/entries/{entry.id}").get_data(as_text=True)
    assert "disabled" in page and "Сохранить и дальше" not in page
    assert client.get(f"/jury/{stage.id}/next").location.endswith(f"/jury/{stage.id}/")


def test_the_ranking_explains_every_entry(client, login, closed):
    login(closed["coordinator"])
    page = client.get(f"/stages/{closed['mow'].id}/ranking").get_data(as_text=True)
    for letter in "ABC":
        assert f"Член жюри {letter}" in page
    for juror in closed["jurors"]:
        assert juror.name not in page  # anonymised
    assert "Скорректированный" in page and "Финалист" in page
    assert page.count('class="explanation"') == 4
    for entry in closed["entries"]:  # the number, as in the export; the code is the family's
        assert entry.code not in page and f"№ {entry.id}" in page
    assert "Финалисты — первые 3 оценённые работы каждой возрастной категории" in page
    assert "3 финалиста в этой возрастной категории." in page
    assert page.count('class="finalist-line"') == 1 and "Граница финалистов<" in page
    assert "календарь" not in page  # calendar proposals are the national jury's


def test_an_override_needs_a_reason_and_is_audited(client, login, closed):
    stage, entry = closed["mow"], closed["entry"]
    login(closed["coordinator"])
    client.post(f"/stages/{stage.id}/entries/{entry.id}/override", data={"finalist": "1"})
    assert operations.placement(stage, entry.id).finalist_override is None
    client.post(f"/stages/{stage.id}/entries/{entry.id}/override",
                data={"finalist": "1", "reason": "Единственная работа в технике батика"})
    assert operations.placement(stage, entry.id).finalist
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "stage.override"))
    assert row.details["reason"] == "Единственная работа в технике батика"


def test_public_results_show_consented_finalists_only(client, closed):
    stage = closed["mow"]
    hidden = closed["secret"]
    hidden.consents = [c for c in hidden.consents if c.kind != "print"]
    assert "Евлампия" not in client.get("/results").get_data(as_text=True)
    assert client.get(f"/results/entries/{closed['entry'].id}/thumb.jpg").status_code == 404
    operations.change_status(stage, StageStatus.PUBLISHED)  # 3 finalists of 4 go on
    db.session.commit()
    finalists = operations.published_finalists(stage)
    ids = {entry.id for _, entry in finalists}
    assert len(ids) == 3
    page = client.get("/results").get_data(as_text=True)
    for _, entry in finalists:
        assert f"«{entry.title}»" in page
        expected = 404 if entry is hidden else 200
        assert client.get(f"/results/entries/{entry.id}/thumb.jpg").status_code == expected
    losers = [e for e in closed["entries"] if e.id not in ids]
    for entry in losers:
        assert f"«{entry.title}»" not in page
        assert client.get(f"/results/entries/{entry.id}/thumb.jpg").status_code == 404
    assert "Евлампия, 9 лет, Урюпинск" in page  # the consented caption: first name, age, town
    assert "Тихомирова" not in page and "olga" not in page
    assert hidden.id in ids and page.count("Семья не дала согласия показывать рисунок.") == 1


@pytest.mark.parametrize("data, message", [
    ({"finalists_per_category": "2", "jurors_per_entry": str(MIN_JURORS_PER_ENTRY - 1)},
     f"От {MIN_JURORS_PER_ENTRY} до 100 членов жюри"),
    ({"finalists_per_category": ""}, "Пожалуйста, заполните"),
    ({"finalists_per_category": "-1"}, "от 0 до 100"),
])
def test_bad_stage_settings_are_explained(client, login, world, data, message):
    login(world["organizer"])
    response = client.post(f"/stages/{world['mow'].id}/settings", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert world["mow"].jurors_per_entry is None


def test_the_ranking_counts_finalists_with_the_staffs_decisions(client, login, closed):
    stage, top = closed["mow"], closed["entries"][-1]  # marked highest by every juror
    login(closed["coordinator"])
    client.post(f"/stages/{stage.id}/entries/{top.id}/override",
                data={"finalist": "0", "reason": "Срисовано с открытки"})
    page = client.get(f"/stages/{stage.id}/ranking").get_data(as_text=True)
    assert ("2 финалиста в этой возрастной категории, с учётом решений организаторов "
            "по 1 работе.") in page
    assert "Граница финалистов по рейтингу, без учёта решений организаторов" in page


def test_reopening_says_the_staffs_decisions_are_kept(client, login, closed):
    stage, entry = closed["mow"], closed["entries"][0]  # marked lowest: not a finalist
    login(closed["organizer"])
    client.post(f"/stages/{stage.id}/entries/{entry.id}/override",
                data={"finalist": "1", "reason": "Единственный батик"})
    response = client.post(f"/stages/{stage.id}/status", data={"target": "judging_open"},
                           follow_redirects=True)
    assert "Решения организаторов по итогам сохраняются" in response.get_data(as_text=True)
    client.post(f"/stages/{stage.id}/status", data={"target": "judging_closed"})
    found = operations.placement(stage, entry.id)
    assert found.finalist and found.override_reason == "Единственный батик"


def test_the_stage_page_says_how_many_jurors_score_each_entry(client, login, world):
    login(world["organizer"])
    client.post(f"/stages/{world['mow'].id}/settings",
                data={"finalists_per_category": "2", "jurors_per_entry": "3"})
    page = client.get(f"/stages/{world['mow'].id}").get_data(as_text=True)
    assert "Каждую работу оценивают 3 члена жюри" in page


def test_the_national_ranking_shows_calendar_proposals_and_winners(client, login, make):
    contest, national, (a, b, c), jurors = national_stage(make)
    criteria = {cr.id: 7 for cr in contest.criteria}
    for juror in jurors:
        operations.save_sheet(national, juror, a, criteria, calendar_candidate=juror is jurors[0])
        operations.save_sheet(national, juror, b, criteria)
    national.finalists_per_category = 2
    operations.change_status(national, StageStatus.JUDGING_CLOSED)
    db.session.commit()
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/stages/{national.id}/ranking").get_data(as_text=True)
    assert "Предложена в календарь" in page
    assert "1 из 3 членов жюри" in page and "0 из 3 членов жюри" in page
    assert "Победитель" in page and "Финалист<" not in page
    assert "Исключить из победителей" in page and "Победители — первые 2 оценённые работы" in page
    assert "2 победителя в этой возрастной категории." in page
    export = client.get(f"/stages/{national.id}/results.csv").get_data(as_text=True)
    assert "Предложили в календарь (членов жюри)" in export
    assert "Победитель" in export and "Финалист" not in export


def test_each_level_word_is_said_once_on_the_scale(make):
    from contest.judging.forms import levels

    contest = make.contest()  # a 1–10 scale
    words = [word for _mark, word in levels(contest) if word]
    assert len(words) == len(set(words)) and levels(contest)[0][1] and levels(contest)[-1][1]
    assert [mark for mark, _word in levels(contest)] == list(range(1, 11))
