"""A juror scores three drawings with the keyboard alone; the coordinator closes the stage, reads
the ranking with its explanation and publishes it; the finalists appear in the national stage."""

import re

from playwright.sync_api import expect

from contest.extensions import db
from contest.models import EntryStatus, Phase, Role

from ..factories import PASSWORD
from .conftest import ARTIFACTS, shot, sign_in


def test_juror_scores_by_keyboard_and_finalists_go_on(live, page):
    make = live.make
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawings = [make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED,
                           title=f"Солнце и молоко {n}", child_first_name=f"Секретная{n}",
                           size=(850, 1200) if n < 3 else (1200, 900))  # most are upright A4
                for n in range(1, 4)]
    contest.phase = Phase.REGIONAL_JUDGING
    stage = make.stage(contest, "RU-MOW")
    stage.finalists_per_category = 2
    db.session.commit()
    make.user(Role.JUROR, stage=stage, email="juror@example.org", name="Иван Жюри")
    make.user(Role.JUROR, stage=stage, email="juror2@example.org", name="Пётр Жюри")
    make.user(Role.COORDINATOR, region=make.region("RU-MOW"), email="coord@example.org",
              name="Анна Координатор")
    make.user(Role.ORGANIZER, email="org@example.org", name="Ольга Организатор")

    sign_in(page, live.url, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="Этапы жюри").click()
    page.get_by_role("link", name="Москва").click()
    page.get_by_role("button", name="Начать оценку").click()
    expect(page.get_by_text("Этап теперь в состоянии «Идёт оценка»")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    sign_in(page, live.url, "juror@example.org", PASSWORD)
    page.get_by_role("link", name="Моё жюри").click()
    page.get_by_role("link", name="Оценить следующий рисунок").click()
    for n, marks in enumerate(["987", "555", "234"], start=1):
        expect(page.get_by_text(f"{n - 1} из 3")).to_be_visible()
        page.wait_for_load_state()  # the keys need jury.js, which runs once the page has loaded
        expect(page.locator("img[src$='/jury.jpg']").first).to_be_visible()
        assert "Секретная" not in page.content()
        if n == 1:
            shot(page, "jury-sheet")
        page.keyboard.press("+")  # the drawing zooms
        expect(page.locator("[data-zoom]")).to_have_class(re.compile("zoomed"))
        for digit in marks:  # focus starts on the first criterion; each digit moves on
            page.keyboard.press(digit)
        page.keyboard.press("Enter")  # save and next
    expect(page.get_by_text("Вы оценили все рисунки")).to_be_visible()
    expect(page.get_by_text("3 из 3")).to_be_visible()
    shot(page, "jury-done")

    page.get_by_role("button", name="Выйти").click()
    page.set_viewport_size({"width": 820, "height": 1180})  # the second juror uses a tablet
    sign_in(page, live.url, "juror2@example.org", PASSWORD)
    page.goto(f"{live.url}/jury/{stage.id}/next")
    for n, marks in enumerate(["666", "777", "555"], start=1):
        expect(page.get_by_text(f"{n - 1} из 3")).to_be_visible()
        page.wait_for_load_state()  # the keys need jury.js, which runs once the page has loaded
        if n == 2:  # and turns it sideways, then opens the sheet afresh
            page.set_viewport_size({"width": 1180, "height": 820})
            page.reload()
        if n <= 2:
            name = "jury-sheet-tablet" if n == 1 else "jury-sheet-tablet-landscape"
            shot(page, name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))
            _drawing_and_marks_share_the_screen(page)
        for digit in marks:
            page.keyboard.press(digit)
        page.keyboard.press("Enter")
    expect(page.get_by_text("3 из 3")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Выйти").click()

    sign_in(page, live.url, "coord@example.org", PASSWORD)
    page.goto(f"{live.url}/stages/{stage.id}")
    page.get_by_role("button", name="Завершить оценку").click()
    expect(page.get_by_role("heading", name="Рейтинг: Москва")).to_be_visible()
    first = page.locator("table.ranking > tbody > tr").first
    expect(first).to_contain_text("Солнце и молоко 1")
    expect(first).to_contain_text("Финалист")
    expect(first).to_contain_text(f"№ {drawings[0].id}")  # the number, never the family's code
    expect(first).not_to_contain_text(drawings[0].code)
    expect(page.get_by_text("2 финалиста в этой возрастной категории.")).to_be_visible()
    expect(first.locator("td").nth(2)).to_have_text("2")  # both jurors count
    page.get_by_text("Пояснение").first.click()
    expect(page.get_by_role("cell", name="Член жюри A").first).to_be_visible()
    expect(page.get_by_role("cell", name="Член жюри B").first).to_be_visible()
    shot(page, "jury-ranking")

    page.goto(f"{live.url}/stages/{stage.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Опубликовать итоги").click()
    expect(page.get_by_text("Итоги опубликованы").first).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    sign_in(page, live.url, "org@example.org", PASSWORD)
    page.goto(f"{live.url}/stages/")
    page.get_by_role("link", name="Федеральный этап").click()
    pool = page.locator("#pool")
    expect(pool).to_contain_text("Солнце и молоко 1")
    expect(pool).to_contain_text("Солнце и молоко 2")
    expect(pool).not_to_contain_text("Солнце и молоко 3")
    shot(page, "jury-national-pool")
    page.goto(f"{live.url}/results")
    expect(page.get_by_role("heading", name=re.compile("Финалисты: Москва"))).to_be_visible()
    assert drawings[0].title in page.content()


def _drawing_and_marks_share_the_screen(page):
    """On load the progress, the whole drawing and the first marks are on screen together."""
    expect(page.locator("[data-zoom] img")).to_have_js_property("complete", True)
    height = page.viewport_size["height"]
    assert page.evaluate("window.scrollY") == 0  # focusing the first mark scrolled nothing
    progress = page.locator(".page-head .progress").bounding_box()
    drawing = page.locator("[data-zoom]").bounding_box()
    marks = page.locator("fieldset.criterion").first.bounding_box()
    assert progress["y"] >= 0
    assert drawing["y"] >= 0 and drawing["y"] + drawing["height"] <= height
    assert marks["y"] + marks["height"] <= height
    assert marks["x"] >= drawing["x"] + drawing["width"]  # side by side, not stacked
    focused = page.evaluate("document.activeElement.closest('fieldset.criterion') !== null")
    assert focused  # the keys still start on the first criterion
