"""The calendar page in a browser: drawings placed by drag and drop, by keyboard and by menu,
and "fill from the ranking", all without reloading the page; the preview in view beside the
pages on a laptop, the page without sideways scrolling on a phone; no axe finding."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from contest import demo

from .conftest import ARTIFACTS, sign_in

# The marker set after the page loaded is still there: the page was never loaded again.
NO_RELOAD = ("() => window.calendarPageMarker === 1"
             " && performance.getEntriesByType('navigation').length === 1")


def all_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def screenshot(page, name: str, full_page: bool = False) -> None:
    """Keep a screenshot for people to look at, once the preview has come."""
    page.wait_for_function("() => { const p = document.getElementById('page-preview');"
                           " return p.complete && p.naturalWidth > 0; }")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_placing_drawings_and_filling_from_the_ranking_without_a_reload(live, browser):
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(2480, 1754))
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live.url, "organizer@demo.example", "demo-password")
    page.goto(f"{live.url}/calendar")
    page.wait_for_load_state("load")
    page.evaluate("() => { window.calendarPageMarker = 1; }")  # gone if the page reloads

    cards = page.locator(".candidate[data-print='1']")
    first, second, third = (cards.nth(n).get_attribute("data-entry") for n in range(3))
    # the cover by drag and drop
    page.locator(f".candidate[data-entry='{first}']").drag_to(page.locator("#slot-0"))
    expect(page.locator("#slot-0 img")).to_be_visible()
    expect(page.locator(f"#candidate-{first} .used-on")).to_have_text("стоит на странице: Обложка")
    expect(page.locator("#page-preview")).to_have_attribute("src", _contains("preview/0.png"))
    # January with the keyboard alone: Enter on the drawing, Enter on the page's "Put"
    page.locator(f".candidate[data-entry='{second}']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#slot-1").get_by_role("button", name="Поставить")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#slot-1 img")).to_be_visible()
    # February by the drawing's number typed under the page
    page.locator("#entry-2").fill(third)
    page.locator("#slot-2").get_by_role("button", name="Поставить").click()
    expect(page.locator("#slot-2 img")).to_be_visible()
    expect(page.locator("#page-preview")).to_have_attribute("src", _contains("preview/2.png"))
    # a number that is no candidate is refused in words, and the page stays as it was
    page.locator("#entry-3").fill("99999999")
    page.locator("#slot-3").get_by_role("button", name="Поставить").click()
    expect(page.locator("#calendar-messages")).to_contain_text("Рисунка с таким номером нет")
    expect(page.locator("#slot-3")).to_have_class(_contains("empty"))
    # March from a drawing's card: its own menu of the thirteen pages
    free = page.locator(".candidate[data-print='1']:not(.used)")
    fourth = free.first.get_attribute("data-entry")
    page.locator(f"#place-{fourth}").select_option("3")
    page.locator(f"#candidate-{fourth}").get_by_role("button", name="Поставить").click()
    expect(page.locator("#slot-3 img")).to_be_visible()
    # the list's search swaps the list alone
    page.locator("#cand-q").fill(fourth)
    page.locator("#cand-q").press("Enter")
    expect(page.locator("#candidate-list .candidate")).not_to_have_count(cards.count())
    expect(page.locator(f"#candidate-{fourth}")).to_be_visible()
    assert page.evaluate(NO_RELOAD)

    # the preview is in view beside the pages, at the top and while the last month is worked on
    for where in ("() => window.scrollTo(0, 0)",
                  "() => document.getElementById('slot-12').scrollIntoView({block: 'end'})"):
        page.evaluate(where)
        page.wait_for_timeout(100)
        box = page.locator("#page-preview").bounding_box()
        pages_box = page.locator(".pages").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, (where, box)
        assert box["x"] > pages_box["x"] + pages_box["width"], (box, pages_box)
    screenshot(page, "calendar-page-1366-scrolled")

    # fill the rest from the ranking: the pages filled by hand stay
    page.get_by_role("button", name="Заполнить по рейтингу").click()
    report = page.locator(".fill-report")
    expect(report).to_contain_text("Заполнено по рейтингу страниц")
    filled = page.locator(".page-slot:not(.empty)")
    expect(filled).not_to_have_count(3)
    assert page.locator("#slot-0 img").get_attribute("src").endswith(f"/{first}/thumb.jpg")
    assert page.evaluate(NO_RELOAD)
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "calendar-page-1366")
    assert all_violations(page) == []

    # on a phone: everything stacks, nothing scrolls sideways, still no axe finding
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "calendar-page-390", full_page=True)
    assert all_violations(page) == []
    context.close()
    assert not problems, problems


def _contains(text: str) -> re.Pattern:
    return re.compile(re.escape(text))
