from datetime import date

import pytest
from sqlalchemy import func, select

from contest import contests
from contest.contests import RuleError
from contest.extensions import db
from contest.models import AuditLog, Contest, Message, Phase, Role, User
from contest.rules import OLDEST_AGE, YOUNGEST_AGE


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def contest_form(**overrides):
    data = {
        "year": "2027", "title_ru": "Крепкие кости", "title_en": "Strong bones",
        "theme_ru": "Молоко и спорт", "theme_en": "Milk and sport", "motto_ru": "Расти крепким",
        "motto_en": "", "rules_ru": "Рисунки **А4**", "rules_en": "",
        "submissions_open_on": "2027-02-01", "submissions_close_on": "2027-04-30",
        "regional_judging_until": "2027-05-31", "national_judging_until": "2027-06-30",
        "results_on": "2027-07-15", "age_reference_date": "2027-04-30",
        "scale_min": "1", "scale_max": "10", "entries_per_child": "1", "contacts_kept_months": "6",
    }
    data.update(overrides)
    return data


def test_create_contest(client, organizer):
    response = client.post("/organizer/contests/new", data=contest_form())
    assert response.status_code == 302
    contest = db.session.scalar(select(Contest))
    assert contest.year == 2027 and contest.phase is Phase.DRAFT
    assert contest.national_stage is not None
    assert contest.submissions_close_on == date(2027, 4, 30)
    assert db.session.scalar(select(AuditLog.action)) == "contest.create"


@pytest.mark.parametrize("field, value, message", [
    ("submissions_close_on", "2027-01-15", "Должна быть позже предыдущей даты"),
    ("year", "1999", "Год от 2000 до 2100"),
    ("title_ru", "", "Пожалуйста, заполните это поле"),
    ("scale_max", "1", "Должна быть выше наименьшей оценки"),
    ("submissions_open_on", "not a date", "Неверное значение даты"),
])
def test_bad_contest_input_is_refused_and_nothing_saved(client, organizer, field, value, message):
    response = client.post("/organizer/contests/new", data=contest_form(**{field: value}))
    assert response.status_code == 200
    assert message.encode() in response.data
    assert db.session.scalar(select(func.count(Contest.id))) == 0


def test_duplicate_year_refused(client, organizer, make):
    make.contest(year=2027)
    response = client.post("/organizer/contests/new", data=contest_form())
    assert "Конкурс 2027 года уже есть".encode() in response.data
    assert db.session.scalar(select(func.count(Contest.id))) == 1


def test_edit_contest(client, organizer, make):
    contest = make.contest(year=2027)
    response = client.post(f"/organizer/contests/{contest.id}/edit",
                           data=contest_form(motto_ru="Новый девиз"))
    assert response.status_code == 302
    assert contest.motto_ru == "Новый девиз"


def test_age_categories(client, organizer, make):
    contest = make.contest(complete=False)
    url = f"/organizer/contests/{contest.id}/categories"
    assert client.post(url, data={"category-name_ru": "Малыши", "category-min_age": 5, "category-max_age": 7}).status_code == 302
    response = client.post(url, data={"category-name_ru": "Пересекается", "category-min_age": 7, "category-max_age": 9})
    assert response.status_code == 422
    assert "пересекается".encode() in response.data
    response = client.post(url, data={"category-name_ru": "Наоборот", "category-min_age": 12, "category-max_age": 9})
    assert response.status_code == 422
    for low, high in ((YOUNGEST_AGE - 1, 7), (12, OLDEST_AGE + 1)):
        response = client.post(url, data={"category-name_ru": "Вне правил", "category-min_age": low,
                                          "category-max_age": high})
        assert response.status_code == 422
        assert f"Возраст должен быть от {YOUNGEST_AGE} до {OLDEST_AGE} лет" in response.text
        with pytest.raises(RuleError, match=f"от {YOUNGEST_AGE} до {OLDEST_AGE} лет"):
            contests.add_age_category(contest, "Вне правил", "", low, high)  # the rule, not only the form
    assert [c.name_ru for c in contest.age_categories] == ["Малыши"]
    client.post(f"/organizer/categories/{contest.age_categories[0].id}/delete")
    assert contest.age_categories == []


def test_criteria_weights_must_be_positive(client, organizer, make):
    contest = make.contest(complete=False)
    url = f"/organizer/contests/{contest.id}/criteria"
    response = client.post(url, data={"criterion-name_ru": "Цвет", "criterion-weight": "0"})
    assert response.status_code == 422
    assert "Вес должен быть положительным числом".encode() in response.data
    response = client.post(url, data={"criterion-name_ru": "Цвет", "criterion-weight": "-2"})
    assert response.status_code == 422
    assert client.post(url, data={"criterion-name_ru": "Цвет", "criterion-weight": "1.5"}).status_code == 302
    assert [float(c.weight) for c in contest.criteria] == [1.5]


def test_criteria_locked_once_judging(client, organizer, make):
    contest = make.contest(phase=Phase.REGIONAL_JUDGING)
    before = len(contest.criteria)
    client.post(f"/organizer/contests/{contest.id}/criteria",
                data={"criterion-name_ru": "X", "criterion-weight": 1})
    client.post(f"/organizer/criteria/{contest.criteria[0].id}/delete")
    assert len(contest.criteria) == before


def test_regions(client, organizer, make):
    contest = make.contest(complete=False)
    moscow, tatarstan = make.region("RU-MOW"), make.region("RU-TA")
    response = client.post(f"/organizer/contests/{contest.id}/regions",
                           data={"regions": [moscow.id, tatarstan.id]})
    assert response.status_code == 302
    assert {s.region.code for s in contest.regional_stages} == {"RU-MOW", "RU-TA"}
    response = client.post(f"/organizer/contests/{contest.id}/regions", data={"regions": [99999]})
    assert response.status_code == 200
    assert {s.region.code for s in contest.regional_stages} == {"RU-MOW", "RU-TA"}


def test_phase_guard_rails(client, organizer, make):
    contest = make.contest(complete=False)
    response = client.post(f"/organizer/contests/{contest.id}/phase",
                           data={"target": "submissions_open"}, follow_redirects=True)
    assert "Добавьте хотя бы одну возрастную категорию".encode() in response.data
    assert contest.phase is Phase.DRAFT


def test_one_edition_takes_drawings_at_a_time(client, organizer, make):
    make.contest(year=2027, phase=Phase.SUBMISSIONS_OPEN)
    later = make.contest(year=2028)
    response = client.post(f"/organizer/contests/{later.id}/phase",
                           data={"target": "submissions_open"}, follow_redirects=True)
    assert "Конкурс 2027 года ещё принимает рисунки" in response.data.decode()
    assert later.phase is Phase.DRAFT


def test_phase_moves_and_is_audited(client, organizer, make):
    contest = make.contest()
    client.post(f"/organizer/contests/{contest.id}/phase", data={"target": "submissions_open"})
    assert contest.phase is Phase.SUBMISSIONS_OPEN
    # judging needs jurors in every region
    response = client.post(f"/organizer/contests/{contest.id}/phase",
                           data={"target": "regional_judging"}, follow_redirects=True)
    assert contest.phase is Phase.SUBMISSIONS_OPEN
    assert "нет жюри".encode() in response.data
    # no skipping phases
    client.post(f"/organizer/contests/{contest.id}/phase", data={"target": "closed"})
    assert contest.phase is Phase.SUBMISSIONS_OPEN
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "contest.phase")).one()
    assert row.details == {"before": "draft", "after": "submissions_open"}


def test_create_coordinator_sends_an_invitation_and_shows_no_password(client, organizer, make):
    region = make.region("RU-TA")
    response = client.post("/organizer/users", data={
        "name": "Айгуль Хасанова", "email": "aigul@example.org", "role": "coordinator",
        "region": region.id, "stage": 0})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "aigul@example.org"))
    assert user.region == region and not user.must_change_password
    assert user.invited_at is not None and user.invitation_accepted_at is None
    page = client.get("/organizer/users").data.decode()
    assert "приглашение" in page.lower() and "не принято" in page and "secret" not in page
    assert db.session.scalar(select(Message.kind).where(
        Message.recipient == "aigul@example.org")) == "invitation"


def test_create_juror_for_a_stage(client, organizer, make):
    contest = make.contest()
    stage = make.stage(contest, "RU-SPE")
    response = client.post("/organizer/users", data={
        "name": "Juror", "email": "j@example.org", "role": "juror", "region": 0,
        "stage": stage.id})
    assert response.status_code == 302
    assert [u.email for u in stage.jurors] == ["j@example.org"]


def test_account_needs_region_and_unique_email(client, organizer, make):
    make.user(Role.JUROR, email="taken@example.org")
    response = client.post("/organizer/users", data={
        "name": "X", "email": "taken@example.org", "role": "coordinator", "region": 0, "stage": 0})
    assert "Выберите регион координатора".encode() in response.data
    region = make.region()
    response = client.post("/organizer/users", data={
        "name": "X", "email": "Taken@example.org", "role": "coordinator", "region": region.id,
        "stage": 0})
    assert "уже есть".encode() in response.data
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_audit_log_page(client, organizer, make):
    client.post("/organizer/contests/new", data=contest_form())
    page = client.get("/organizer/audit").data.decode()
    assert "Конкурс создан" in page and "contest.create" not in page  # sentences, not codes
    assert "конкурс №" in page


def test_audit_log_pages(client, organizer, make):
    from contest import audit

    contest = make.contest()
    for n in range(105):
        audit.record("contest.update", contest, fields=[f"field-{n:03d}"])
    db.session.commit()
    first = client.get("/organizer/audit").data.decode()
    assert "field-104" in first and "field-004" not in first and "?page=2" in first
    second = client.get("/organizer/audit?page=2").data.decode()
    assert "field-004" in second and "field-104" not in second and "?page=1" in second


def test_purge_contacts_after_the_contest(client, organizer, make):
    from contest.models import EntryStatus

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    client.post(f"/organizer/contests/{contest.id}/purge-contacts")
    assert entry.guardian_email  # not before the contest is closed
    contest.phase = Phase.CLOSED
    db.session.commit()
    assert "Удалить контакты".encode() in client.get(f"/organizer/contests/{contest.id}").data
    client.post(f"/organizer/contests/{contest.id}/purge-contacts")
    assert entry.guardian_email == "" and entry.contacts_purged_at


def test_a_refused_rule_is_shown_beside_its_field(client, organizer, make):
    contest = make.contest(year=2027, phase=Phase.REGIONAL_JUDGING)
    response = client.post(f"/organizer/contests/{contest.id}/edit",
                           data=contest_form(scale_max="5"))
    page = response.data.decode()
    message = "шкалу менять нельзя"
    assert message in page
    assert page.index('id="scale_max"') < page.index(message)  # under the scale, not the year
    assert page.index('id="year"') < page.index('id="scale_max"')
    assert contest.scale_max == 10


def test_moving_a_phase_asks_first_and_warns_of_an_early_close(client, organizer, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)  # the deadline is a month away
    page = client.get(f"/organizer/contests/{contest.id}").data.decode()
    assert 'data-confirm="Перевести конкурс в фазу «Региональное жюри»? Срок приёма рисунков' \
        in page.replace("&#34;", '"')


def test_back_to_draft_is_offered_only_while_it_can_happen(client, organizer, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    page = client.get(f"/organizer/contests/{contest.id}").data.decode()
    assert 'name="target" value="draft"' in page  # no entries yet: it can go back
    make.entry(contest)
    page = client.get(f"/organizer/contests/{contest.id}").data.decode()
    assert 'name="target" value="draft"' not in page
    assert "конкурс нельзя вернуть в черновик" in page  # and why


def test_a_new_edition_starts_from_last_years(client, organizer, make):
    from contest.extensions import db
    from contest.models import AuditLog, Contest

    old = make.contest(year=2026, phase=Phase.SUBMISSIONS_OPEN, title_ru="Крепкие кости 2026")
    moscow = next(s for s in old.stages if s.region and s.region.code == "RU-MOW")
    juror = make.user(Role.JUROR, stage=moscow)
    make.user(Role.JUROR, stage=moscow, active=False)
    make.entry(old, "RU-MOW")
    page = client.get(f"/organizer/contests/{old.id}").data.decode()
    assert 'value="2027"' in page  # next year proposed
    response = client.post(f"/organizer/contests/{old.id}/copy", data={"year": "2027"})
    new = db.session.scalar(db.select(Contest).where(Contest.year == 2027))
    assert response.location.endswith(f"/organizer/contests/{new.id}")
    assert new.phase is Phase.DRAFT and new.title_ru == "Крепкие кости 2027"
    assert new.theme_ru == old.theme_ru and new.rules_ru == old.rules_ru
    assert new.submissions_close_on == old.submissions_close_on.replace(year=2027)
    assert [(c.name_ru, c.min_age, c.max_age) for c in new.age_categories] == [
        (c.name_ru, c.min_age, c.max_age) for c in old.age_categories]
    assert [(c.name_ru, c.weight) for c in new.criteria] == [(c.name_ru, c.weight)
                                                              for c in old.criteria]
    assert {s.region.code for s in new.regional_stages} == {s.region.code
                                                            for s in old.regional_stages}
    new_moscow = next(s for s in new.regional_stages if s.region.code == "RU-MOW")
    assert new_moscow.jurors == [juror]  # the active ones
    assert entry_counts(new) == 0 and {c.id for c in new.age_categories}.isdisjoint(
        {c.id for c in old.age_categories})
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "contest.copy"))
    again = client.post(f"/organizer/contests/{old.id}/copy", data={"year": "2027"},
                        follow_redirects=True)
    assert "Конкурс 2027 года уже есть" in again.data.decode() or "уже существует" in again.data.decode()
    bad = client.post(f"/organizer/contests/{old.id}/copy", data={"year": "99999999999"},
                      follow_redirects=True)
    assert bad.status_code == 200 and "Год от 2000 до 2100" in bad.data.decode()
    empty = client.post(f"/organizer/contests/{old.id}/copy", data={"year": ""},
                        follow_redirects=True)
    assert empty.status_code == 200 and "Укажите год" in empty.data.decode()


def entry_counts(contest) -> int:
    from contest.extensions import db
    from contest.models import Entry

    return db.session.query(Entry).filter_by(contest_id=contest.id).count()
