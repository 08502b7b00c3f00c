"""The organizer assembles a calendar, fixes a rule violation, exports and downloads the PDF."""

import re
import shutil
import subprocess

from playwright.sync_api import expect
from pypdf import PdfReader

from contest import demo

from .conftest import shot, sign_in


def test_organizer_assembles_the_national_calendar_from_the_demo(live, page):
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(2480, 1754))
    sign_in(page, live.url, "organizer@demo.example", "demo-password")
    page.goto(f"{live.url}/calendar")
    expect(page.get_by_role("heading", name="Календарь: общероссийский")).to_be_visible()
    candidates = page.locator(".candidate")
    expect(candidates.first).to_be_visible()
    cards = candidates.evaluate_all(
        "cards => cards.map(c => [c.dataset.entry, c.dataset.region, c.dataset.print])")
    printable = [(entry, region) for entry, region, consent in cards if consent == "1"]
    unprintable = [entry for entry, _region, consent in cards if consent == "0"]
    chosen = pick_three_per_region(printable)
    assert len(chosen) == 13 and unprintable

    # the cover by drag and drop, the months by the drawings' numbers
    cover = page.locator("#slot-0")
    page.locator(f".candidate[data-entry='{chosen[0]}']").drag_to(cover)
    expect(cover.locator("img")).to_be_visible()
    page.wait_for_load_state()  # the drop reloaded the page: its script must be running again
    # January with the keyboard alone: Enter on the drawing, Enter on the page's "Put"
    page.locator(f".candidate[data-entry='{chosen[1]}']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#slot-1").get_by_role("button", name="Поставить")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#slot-1 img")).to_be_visible()
    # a drawing whose family did not agree to printing says so, and its card offers no page
    refused = page.locator(f".candidate[data-entry='{unprintable[0]}']")
    expect(refused).to_contain_text("Семья не разрешила печатать этот рисунок")
    expect(refused).to_have_attribute("draggable", "false")
    expect(page.locator(f"#place-{unprintable[0]}")).to_have_count(0)
    for slot, entry in enumerate(chosen[2:], start=2):
        put(page, slot, entry)
    page.get_by_role("button", name="Подобрать факты для пустых месяцев").click()
    # at most two drawings per region
    expect(page.get_by_text(re.compile("Слишком много рисунков"))).to_be_visible()
    shot(page, "calendar-desk-violation")
    page.get_by_role("button", name="Выпустить PDF").click()
    expect(page.get_by_text("Сначала исправьте это")).to_be_visible()

    # the society allows three per region this year
    page.get_by_label("Не больше рисунков от региона").fill("3")
    page.get_by_role("button", name="Проверить заново с этими настройками").click()
    expect(page.locator(".rules-list li.broken")).to_have_count(0)
    page.wait_for_load_state()  # a click needs calendar.js, which runs once the page has loaded
    page.locator("#slot-3 .page-face").click()
    expect(page.locator("#page-preview")).to_have_attribute("src", re.compile("preview/3.png"))

    page.get_by_role("button", name="Выпустить PDF").click()
    expect(page.get_by_role("heading", name="Выпуск календаря")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="Скачать")).to_be_visible(timeout=120_000)
    shot(page, "calendar-job-done")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать").click()
    pdf_path = str(download_info.value.path())
    check_print_ready(pdf_path)
    page.goto(f"{live.url}/calendar")
    expect(page.get_by_role("cell", name="v1")).to_be_visible()
    shot(page, "calendar-desk-exported")

    # the print shop asks for CMYK on coated paper: the same page offers it, with its checks
    page.get_by_label("PDF/X-1a, CMYK: мелованная бумага").check()
    page.get_by_role("button", name="Выпустить PDF").click()
    expect(page.get_by_role("link", name="Скачать")).to_be_visible(timeout=240_000)
    page.goto(f"{live.url}/calendar")
    latest = page.locator("tr", has=page.get_by_role("cell", name="v2"))
    expect(latest).to_contain_text("PDF/X-1a")
    expect(latest).to_contain_text("цветопроба")
    expect(latest.locator(".badge.ok")).to_be_visible()  # its preflight (ink, black text) passed
    shot(page, "calendar-desk-exported-cmyk")


def pick_three_per_region(cards: list[tuple[str, str]]) -> list[str]:
    taken: dict[str, int] = {}
    chosen = []
    for entry, region in cards:
        if taken.get(region, 0) < 3 and len(chosen) < 13:
            taken[region] = taken.get(region, 0) + 1
            chosen.append(entry)
    return chosen


def put(page, slot: int, entry: str) -> None:
    page.locator(f"#entry-{slot}").fill(entry)
    page.locator(f"#slot-{slot}").get_by_role("button", name="Поставить").click()


def check_print_ready(pdf_path: str) -> None:
    """The calendar_builder checks: pages, boxes, fonts, image resolution, syntax."""
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == 14
    for page in reader.pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert round(float(trim[2] - trim[0]) / 72 * 25.4) == 210  # A4 portrait
        assert round(float(trim[3] - trim[1]) / 72 * 25.4) == 297
        assert round(float(bleed[2] - bleed[0] - (trim[2] - trim[0])) / 72 * 25.4) == 6
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", pdf_path], capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all(row[-5:-3] == ["yes", "yes"] for row in rows)  # embedded, subset
    if shutil.which("pdfimages"):
        listing = subprocess.run(["pdfimages", "-list", pdf_path], capture_output=True,
                                 text=True).stdout.splitlines()[2:]
        ppi = [min(int(row.split()[12]), int(row.split()[13])) for row in listing]
        assert ppi and min(ppi) >= 200
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", pdf_path], capture_output=True).returncode == 0
