"""Editing an edition's age categories and criteria in place, until the locks apply."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from contest import contests
from contest.errors import RuleError
from contest.extensions import db
from contest.models import AuditLog, Phase, Role


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def category_data(**overrides):
    data = {"name_ru": "Малыши", "name_en": "Little ones", "min_age": "4", "max_age": "7"}
    data.update(overrides)
    return data


def criterion_data(**overrides):
    data = {"name_ru": "Цвет", "name_en": "Colour", "description_ru": "Смелые цвета",
            "description_en": "", "weight": "1"}
    data.update(overrides)
    return data


def actions():
    return list(db.session.scalars(select(AuditLog.action)))


def test_edit_category(client, organizer, make):
    contest = make.contest()
    little = contest.age_categories[0]
    page = client.get(f"/organizer/contests/{contest.id}")
    assert f"/organizer/categories/{little.id}/edit".encode() in page.data
    form = client.get(f"/organizer/categories/{little.id}/edit")
    assert form.status_code == 200 and 'value="Little ones"' in form.text
    response = client.post(f"/organizer/categories/{little.id}/edit",
                           data=category_data(name_ru="Самые маленькие", min_age="3"))
    assert response.status_code == 302 and response.location.endswith("#categories")
    db.session.refresh(little)
    assert (little.name_ru, little.min_age, little.max_age) == ("Самые маленькие", 3, 7)
    assert actions() == ["category.update"]
    # nothing changed: nothing logged
    client.post(f"/organizer/categories/{little.id}/edit",
                data=category_data(name_ru="Самые маленькие", min_age="3"))
    assert actions() == ["category.update"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"min_age": "7", "max_age": "9"}, "min_age", "пересекается"),  # with Школьники 8–11
    ({"min_age": "7", "max_age": "5"}, "max_age", "Младший возраст не может быть больше"),
    ({"min_age": "1"}, "min_age", "Возраст должен быть от"),
    ({"max_age": "9" * 30}, "max_age", "Возраст должен быть от"),
    ({"name_ru": ""}, "name_ru", "Пожалуйста, заполните это поле"),
    ({"name_ru": "ш" * 10_000}, "name_ru", "100"),
    ({"name_ru": "школьники"}, "name_ru", "уже есть возрастная категория"),
    ({"name_en": "PUPILS"}, "name_en", "уже есть возрастная категория"),
    ({"min_age": "four"}, "min_age", "Неверное целое число"),
])
def test_bad_category_edit_is_refused_beside_its_field(client, organizer, make, overrides, field,
                                                       message):
    contest = make.contest()
    little = contest.age_categories[0]
    response = client.post(f"/organizer/categories/{little.id}/edit",
                           data=category_data(**overrides))
    assert response.status_code == 422
    error = response.text.split(f'id="{field}-err"')[1].split("</ul>")[0]
    assert message in error
    db.session.refresh(little)
    assert (little.name_ru, little.min_age, little.max_age) == ("Малыши", 4, 7)
    assert actions() == []


def test_a_category_may_keep_its_own_name_and_ages(make, app):
    contest = make.contest()
    little = contest.age_categories[0]
    contests.update_age_category(little, "МАЛЫШИ", "Little ones", 4, 7)  # itself is no rival
    assert little.name_ru == "МАЛЫШИ"


def test_hostile_category_names_are_stored_as_one_line_and_shown_escaped(client, organizer,
                                                                         make):
    contest = make.contest()
    little = contest.age_categories[0]
    response = client.post(f"/organizer/categories/{little.id}/edit", data=category_data(
        name_ru="<script>alert(1)</script>\r\nМалыши", name_en="a\n\tb"))
    assert response.status_code == 302
    db.session.refresh(little)
    assert little.name_ru == "<script>alert(1)</script> Малыши" and little.name_en == "a b"
    page = client.get(f"/organizer/contests/{contest.id}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_edit_criterion(client, organizer, make):
    contest = make.contest()
    colour = contest.criteria[2]
    page = client.get(f"/organizer/contests/{contest.id}")
    assert f"/organizer/criteria/{colour.id}/edit".encode() in page.data
    assert client.get(f"/organizer/criteria/{colour.id}/edit").status_code == 200
    response = client.post(f"/organizer/criteria/{colour.id}/edit",
                           data=criterion_data(weight="2.5", description_ru="<b>Смело</b>\nярко"))
    assert response.status_code == 302 and response.location.endswith("#criteria")
    db.session.refresh(colour)
    assert colour.weight == Decimal("2.5") and colour.description_ru == "<b>Смело</b>\nярко"
    assert colour.position == 2
    assert actions() == ["criterion.update"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"weight": "0"}, "weight", "Вес должен быть положительным числом"),
    ({"weight": "-1"}, "weight", "Вес должен быть положительным числом"),
    ({"weight": "1" + "0" * 40}, "weight", "Вес должен быть положительным числом"),
    ({"weight": "NaN"}, "weight", ""),
    ({"weight": "Infinity"}, "weight", "Вес должен быть положительным числом"),
    ({"weight": "много"}, "weight", ""),
    ({"name_ru": "композиция"}, "name_ru", "уже есть критерий"),
    ({"name_ru": "к" * 10_000}, "name_ru", "150"),
])
def test_bad_criterion_edit_is_refused_beside_its_field(client, organizer, make, overrides, field,
                                                        message):
    contest = make.contest()
    colour = contest.criteria[2]
    response = client.post(f"/organizer/criteria/{colour.id}/edit",
                           data=criterion_data(**overrides))
    assert response.status_code == 422
    error = response.text.split(f'id="{field}-err"')[1].split("</ul>")[0]
    assert message in error
    db.session.refresh(colour)
    assert (colour.name_ru, colour.weight) == ("Цвет", Decimal(1))
    assert actions() == []


def test_the_weight_rule_is_the_services_too(make, app):
    contest = make.contest(complete=False)
    for weight in (0, Decimal("NaN"), Decimal("1e9"), None, "x"):
        with pytest.raises(RuleError, match="Вес должен быть"):
            contests.add_criterion(contest, "Цвет", "", weight)
    criterion = contests.add_criterion(contest, "Цвет", "", 1)
    with pytest.raises(RuleError, match="Вес должен быть"):
        contests.update_criterion(criterion, "Цвет", "", Decimal("1e9"))


def test_adding_refuses_a_name_taken_too(client, organizer, make):
    contest = make.contest()
    response = client.post(f"/organizer/contests/{contest.id}/categories", data={
        "category-name_ru": "малыши", "category-min_age": 18, "category-max_age": 18})
    assert response.status_code == 422 and "уже есть возрастная категория" in response.text
    response = client.post(f"/organizer/contests/{contest.id}/criteria", data={
        "criterion-name_ru": "Цвет", "criterion-weight": 1})
    assert response.status_code == 422 and "уже есть критерий" in response.text
    assert len(contest.age_categories) == 3 and len(contest.criteria) == 3


def test_categories_locked_once_submissions_open(client, organizer, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    little = contest.age_categories[0]
    hub = client.get(f"/organizer/contests/{contest.id}").text
    assert f"/organizer/categories/{little.id}/edit" not in hub
    assert f"/organizer/criteria/{contest.criteria[0].id}/edit" in hub  # not locked yet
    response = client.get(f"/organizer/categories/{little.id}/edit", follow_redirects=True)
    assert "только пока конкурс — черновик" in response.text
    response = client.post(f"/organizer/categories/{little.id}/edit",
                           data=category_data(name_ru="Другое"), follow_redirects=True)
    assert "только пока конкурс — черновик" in response.text
    db.session.refresh(little)
    assert little.name_ru == "Малыши" and actions() == []
    with pytest.raises(RuleError):
        contests.update_age_category(little, "Другое", "", 4, 7)


def test_criteria_locked_once_judging(client, organizer, make):
    contest = make.contest(phase=Phase.REGIONAL_JUDGING)
    colour = contest.criteria[2]
    response = client.get(f"/organizer/criteria/{colour.id}/edit", follow_redirects=True)
    assert "критерии менять нельзя" in response.text
    response = client.post(f"/organizer/criteria/{colour.id}/edit",
                           data=criterion_data(weight="5"), follow_redirects=True)
    assert "критерии менять нельзя" in response.text
    db.session.refresh(colour)
    assert colour.weight == Decimal(1) and actions() == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.JUROR])
def test_other_roles_are_refused(client, make, login, role):
    contest = make.contest()
    region = make.region("RU-MOW")
    user = make.user(role, region=region) if role is Role.COORDINATOR else make.user(role)
    login(user)
    little, colour = contest.age_categories[0], contest.criteria[0]
    for url, data in ((f"/organizer/categories/{little.id}/edit", category_data(name_ru="X")),
                      (f"/organizer/criteria/{colour.id}/edit", criterion_data(name_ru="X"))):
        assert client.get(url).status_code == 403
        assert client.post(url, data=data).status_code == 403
    assert little.name_ru == "Малыши" and colour.name_ru == "Раскрытие темы"


def test_visitors_are_sent_to_sign_in(client, make):
    contest = make.contest()
    response = client.post(f"/organizer/categories/{contest.age_categories[0].id}/edit",
                           data=category_data(name_ru="X"))
    assert response.status_code == 302 and "/auth/login" in response.location


def test_unknown_rows_are_404(client, organizer):
    assert client.get("/organizer/categories/999999/edit").status_code == 404
    assert client.get("/organizer/criteria/999999/edit").status_code == 404
