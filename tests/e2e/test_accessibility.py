"""axe-core finds no serious accessibility problem on the main pages, on a phone and a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from contest.models import EntryStatus, Phase, Role

from ..factories import PASSWORD
from .conftest import sign_in

SERIOUS = {"serious", "critical"}


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_public_pages(live, browser, viewport):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = live.make.entry(contest, "RU-TA")
    page = browser.new_page(viewport=viewport, locale="ru-RU")
    for path in ("/", "/submit", "/submit/batch", "/status", f"/status/{entry.code}",
                 "/auth/login", "/auth/forgot", "/status/lost-code", "/auth/set-password/x",
                 "/no-such-page"):
        page.goto(live.url + path)
        assert violations(page) == [], path
    page.close()


def test_staff_pages(live, page):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = live.make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)
    live.make.user(Role.ORGANIZER, email="org@example.org")
    sign_in(page, live.url, "org@example.org", PASSWORD)
    for path in ("/organizer/", f"/organizer/contests/{contest.id}",
                 f"/organizer/contests/{contest.id}/edit", "/organizer/users",
                 "/organizer/audit", "/organizer/facts", "/coordinator/",
                 f"/coordinator/entries/{entry.id}", "/certificates",
                 f"/organizer/contests/{contest.id}/report", "/calendar", "/auth/account",
                 "/organizer/messages"):
        page.goto(live.url + path)
        assert violations(page) == [], path
