"""Every page a role may use is reached by following links from the home page, no page of any
role is wider than a phone (390 px), and axe-core finds nothing wrong on any of them, on the
phone and on a desktop, nor on the answer to each of their forms sent empty: the browser walks
the site as each role would. (Pages reached only by doing something: test_accessibility.py.)"""

import re

import pytest
from playwright.sync_api import expect

from contest import access, demo
from contest.extensions import db
from contest.judging import operations
from contest.models import EntryStatus, Fact, Phase, Role, StageStatus

from ..factories import PASSWORD, score
from .conftest import shot, sign_in
from .crawl import DOWNLOADS, PHONE, send_forms_empty, walk

# Pages reached only as the answer to an action, never by a link: the page after sending a
# drawing or a school's batch (it holds the tracking codes), a background job's progress.
# A family's status page opens from the tracking code they type in; a new password and a
# family's confirmation open from the one-time link in an e-mail.
AFTER_AN_ACTION = {"submit.done", "submit.batch_done", "jobs.page", "submit.status",
                   "auth.set_password", "submit.confirm"}


def _download(rule: str) -> bool:
    return (rule.lower().endswith(DOWNLOADS) or rule.endswith((".<fmt>", "/download"))
            or "<path:" in rule)


def _pages_of(app, role: Role | None) -> set[str]:
    """The endpoints of HTML pages ``role`` (None: a visitor) may open."""
    pages, visitor = set(), app.test_client()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if _download(rule.rule):
            continue
        roles = access.required_roles(app.view_functions[rule.endpoint])
        if (role is None and roles is None and not rule.arguments
                and "/auth/login" in visitor.get(rule.rule).headers.get("Location", "")):
            continue  # any signed-in person's page (their account)
        if roles is None or (role is not None and role in roles):
            pages.add(rule.endpoint)
    return pages


@pytest.fixture
def season(live):
    """A contest in regional judging: Moscow's jury is scoring (one juror has begun), Saint
    Petersburg's has closed with a ranking; its coordinator, an organizer, a fact; and next
    year's edition as a draft (its categories and criteria can still be edited)."""
    make = live.make
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawings = {code: [make.entry(contest, code, status=EntryStatus.ACCEPTED) for _ in range(3)]
                for code in ("RU-MOW", "RU-SPE")}
    contest.phase = Phase.REGIONAL_JUDGING
    stage, closed = make.stage(contest, "RU-MOW"), make.stage(contest, "RU-SPE")
    jurors = {s.id: [make.user(Role.JUROR, stage=s) for _ in range(3)] for s in (stage, closed)}
    for s in (stage, closed):
        operations.change_status(s, StageStatus.JUDGING_OPEN)
    for juror in jurors[closed.id]:
        for n, entry in enumerate(drawings["RU-SPE"]):
            score(closed, juror, entry, 5 + n, 6, 7)
    operations.change_status(closed, StageStatus.JUDGING_CLOSED)
    jurors = jurors[stage.id]
    score(stage, jurors[0], drawings["RU-MOW"][0], 8, 7, 9)
    jurors[0].email = "juror@example.org"
    make.user(Role.COORDINATOR, region=closed.region, email="coord@example.org")
    make.user(Role.ORGANIZER, email="org@example.org")
    db.session.add(Fact(text_ru="Кальций нужен костям.", source_ru="ВОЗ", month=10))
    make.contest(year=contest.year + 1)
    db.session.commit()
    return contest


def _check(browser, live, role: Role | None, email: str | None = None):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email:
        sign_in(page, live.url, email, PASSWORD)
    reached, too_wide, inaccessible = walk(page, live)
    public = _pages_of(live.app, None) if role is not None else set()
    inaccessible += send_forms_empty(page, live, {endpoint: paths for endpoint, paths in reached.items()
                                          if endpoint not in public})  # the visitor's own test
    context.close()

    expected = _pages_of(live.app, role) - AFTER_AN_ACTION
    if role is not None:  # staff may open the families' pages, but do not need them
        expected -= public
    unreached = sorted(expected - set(reached))
    assert not unreached, f"no link leads to {unreached}"
    assert not too_wide, f"wider than a phone: {too_wide}"
    pages = sum(len(urls) for urls in reached.values())
    assert not inaccessible, (f"axe, {pages} pages of {len(reached)} kinds:\n"
                              + "\n".join(inaccessible))


@pytest.mark.parametrize("role,email", [
    (Role.ORGANIZER, "org@example.org"), (Role.COORDINATOR, "coord@example.org"),
    (Role.JUROR, "juror@example.org")])
def test_every_staff_page_is_linked_fits_a_phone_and_passes_axe(live, browser, season, role,
                                                               email):
    _check(browser, live, role, email)


def test_every_public_page_is_linked_fits_a_phone_and_passes_axe(live, browser):
    """The demo's years: last year's published winners (gallery, results, a winner's page)
    and this year's contest taking drawings."""
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    _check(browser, live, None)


def test_on_a_phone_the_staff_menu_folds_behind_one_button(live, browser, season):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live.url, "org@example.org", PASSWORD)
    calendar = page.get_by_role("link", name="Календарь")
    menu = page.get_by_role("button", name="Меню")
    expect(calendar).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 220  # brand, languages, the public links and the button only
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(calendar).to_be_visible()
    shot(page, "staff-menu-phone")
    calendar.click()
    expect(page).to_have_url(re.compile("/calendar"))
    page.set_viewport_size({"width": 1280, "height": 900})  # a desktop shows the links as a row
    expect(page.get_by_role("button", name="Меню")).to_be_hidden()
    expect(page.get_by_role("link", name="Календарь")).to_be_visible()
    context.close()
