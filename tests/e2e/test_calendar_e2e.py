"""The organizer assembles a calendar, fixes a rule violation, exports and downloads the PDF."""

import io
import re
import shutil
import subprocess

from playwright.sync_api import expect
from pypdf import PdfReader

from contest.models import EntryStatus, Phase, Role

from ..factories import PASSWORD
from .conftest import shot, sign_in


def test_organizer_assembles_and_exports_a_calendar(live, page):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 9]
    drawings = [live.make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                                title=f"Рисунок {n}", size=(2480, 1754))
                for n, age in enumerate(ages)]
    no_consent = live.make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=10,
                                 title="Без согласия", size=(2480, 1754),
                                 consents={"personal_data": True, "show_name": True,
                                           "print": False})
    live.make.user(Role.ORGANIZER, email="org@example.org")
    sign_in(page, live.url, "org@example.org", PASSWORD)
    region = live.make.region("RU-TA")
    page.goto(f"{live.url}/calendar?region={region.id}")
    expect(page.get_by_role("heading", name="Календарь: Республика Татарстан")).to_be_visible()

    # drag and drop the cover; the keyboard menus for the months
    cover = page.locator("#slot-0")
    page.locator(f".candidate[data-entry='{drawings[0].id}']").drag_to(cover)
    expect(cover.locator("img")).to_be_visible()
    for slot, entry in enumerate(drawings[1:12], start=1):
        page.locator(f"#entry-{slot}").select_option(str(entry.id))
        page.locator(f"#slot-{slot}").get_by_role("button", name="Поставить").click()
    # December gets the drawing without consent to print: a rule violation
    page.locator("#entry-12").select_option(str(no_consent.id))
    page.locator("#slot-12").get_by_role("button", name="Поставить").click()
    page.get_by_role("button", name="Подобрать факты для пустых месяцев").click()
    expect(page.get_by_text(re.compile("Нет согласия на печать: декабрь"))).to_be_visible()
    shot(page, "calendar-desk-violation")
    page.get_by_role("button", name="Выпустить PDF").click()
    expect(page.get_by_text("Сначала исправьте это")).to_be_visible()

    # fix it: another drawing for December
    page.locator("#entry-12").select_option(str(drawings[12].id))
    page.locator("#slot-12").get_by_role("button", name="Поставить").click()
    expect(page.locator(".rules-list li.broken")).to_have_count(0)
    page.locator("#slot-3 .page-face").click()
    expect(page.locator("#page-preview")).to_have_attribute("src", re.compile("preview/3.png"))

    page.get_by_label("A3").check()
    page.get_by_role("button", name="Выпустить PDF").click()
    expect(page.get_by_role("heading", name="Выпуск календаря")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="Скачать")).to_be_visible(timeout=120_000)
    shot(page, "calendar-job-done")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать").click()
    pdf_path = download_info.value.path()
    reader = PdfReader(str(pdf_path))
    assert len(reader.pages) == 14
    trim = reader.pages[1].trimbox
    assert round(float(trim[2] - trim[0]) / 72 * 25.4) == 297  # A3 portrait: 297 × 420 mm
    assert round(float(trim[3] - trim[1]) / 72 * 25.4) == 420
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    if shutil.which("pdfimages"):
        listing = subprocess.run(["pdfimages", "-list", str(pdf_path)], capture_output=True,
                                 text=True).stdout.splitlines()[2:]
        drawings_ppi = [int(row.split()[12]) for row in listing if row.split()[2] == "image"]
        assert drawings_ppi and min(drawings_ppi) >= 150
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(pdf_path)], capture_output=True).returncode == 0
    page.goto(f"{live.url}/calendar?region={region.id}")
    expect(page.get_by_role("cell", name="v1")).to_be_visible()
    shot(page, "calendar-desk-exported")
    assert io
