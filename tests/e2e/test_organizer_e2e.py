"""An organizer sets up a contest in the browser and the public sees it."""

from playwright.sync_api import expect

from contest.models import Role

from ..factories import PASSWORD
from .conftest import shot, sign_in


def test_organizer_creates_a_contest_and_the_public_sees_it(live, page):
    live.make.regions()
    live.make.user(Role.ORGANIZER, email="org@example.org", name="Ольга Организатор")
    sign_in(page, live.url, "org@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Конкурсы")).to_be_visible()

    page.get_by_role("link", name="Новый конкурс").click()
    page.get_by_label("Год").fill("2031")
    page.get_by_label("Название (по-русски)").fill("Крепкие кости 2031")
    page.get_by_label("Тема (по-русски)").fill("Молоко, спорт и солнце")
    page.get_by_label("Девиз (по-русски)").fill("Кости крепкие с детства!")
    page.get_by_label("Положение (по-русски, Markdown)").fill("Рисунки **А4** и **А3**.")
    for label, day in [("Приём работ открыт", "2031-02-01"), ("Последний день приёма работ", "2031-01-15")]:
        page.get_by_label(label, exact=True).fill(day)
    page.get_by_label("Окончание работы региональных жюри").fill("2031-05-31")
    page.get_by_label("Окончание работы федерального жюри").fill("2031-06-30")
    page.get_by_label("Объявление итогов").fill("2031-07-15")
    page.get_by_label("Дата, на которую считается возраст").fill("2031-04-30")
    page.get_by_role("button", name="Сохранить").click()
    # an impossible deadline is explained next to its field and nothing is saved
    expect(page.get_by_text("Должна быть позже предыдущей даты.")).to_be_visible()
    page.get_by_label("Последний день приёма работ").fill("2031-04-30")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Конкурс создан")).to_be_visible()

    for name, low, high in [("Малыши", "5", "7"), ("Школьники", "8", "12")]:
        page.locator("#categories").get_by_label("Название (по-русски)").fill(name)
        page.get_by_label("Возраст от, лет").fill(low)
        page.get_by_label("Возраст до, лет").fill(high)
        page.locator("#categories").get_by_role("button", name="Добавить").click()
    page.locator("#criteria").get_by_label("Название (по-русски)").fill("Раскрытие темы")
    page.get_by_label("Вес").fill("2")
    page.locator("#criteria").get_by_role("button", name="Добавить").click()
    page.get_by_role("link", name="Выбрать регионы").click()
    page.get_by_label("Республика Татарстан").check()
    page.get_by_label("Москва", exact=True).check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("row", name="Республика Татарстан")).to_be_visible()
    shot(page, "organizer-contest-hub")

    page.once("dialog", lambda dialog: dialog.accept())  # "Move the contest to ...?"
    page.get_by_role("button", name="Перейти к этапу «Приём работ открыт»").click()
    expect(page.get_by_text("Конкурс перешёл на этап «Приём работ открыт»")).to_be_visible()

    page.goto(live.url + "/")
    expect(page.get_by_role("heading", name="Крепкие кости 2031")).to_be_visible()
    expect(page.get_by_text("Кости крепкие с детства!")).to_be_visible()
    expect(page.locator(".rules strong", has_text="А4")).to_be_visible()
    expect(page.get_by_text("Школьники")).to_be_visible()
    expect(page.get_by_text("Республика Татарстан")).to_be_visible()
    shot(page, "home-ru")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Key dates")).to_be_visible()
    shot(page, "home-en")
