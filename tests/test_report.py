"""The yearly report equals counts made independently, and every format shows the same."""

import csv
import io
from collections import Counter

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text

from contest import demo, report
from contest.extensions import db
from contest.models import Contest, Phase, Role


@pytest.fixture
def demo_contest(app):
    """The demo's judged edition: it has finalists and winners."""
    demo.load(entries_count=6, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    return db.session.scalar(select(Contest).where(Contest.phase == Phase.CALENDAR))


def independent_counts(contest_id: int) -> dict[str, dict]:
    """Straight from the tables, without the app's code."""
    rows = db.session.execute(text(
        "SELECT r.code, e.town, e.institution, e.status, e.child_first_name, "
        "e.child_last_name, e.age, e.award FROM entry e JOIN stage s ON s.id = e.stage_id "
        "JOIN region r ON r.id = s.region_id WHERE e.contest_id = :c"), {"c": contest_id}).all()
    by_region: dict[str, dict] = {}
    for code, town, institution, status, first, last, age, award in rows:
        r = by_region.setdefault(code, {"towns": set(), "institutions": set(), "entries": 0,
                                        "accepted": 0, "children": set(), "finalists": 0,
                                        "winners": 0})
        r["finalists"] += award in ("finalist", "winner")
        r["winners"] += award == "winner"
        r["towns"].add(town)
        if institution:
            r["institutions"].add(institution)
        r["entries"] += 1
        r["accepted"] += status == "accepted"
        r["children"].add((first, last, age))
    return by_region


def test_figures_equal_independent_counts(demo_contest):
    figures = report.yearly_figures(demo_contest)
    expected = independent_counts(demo_contest.id)
    for region in figures.regions:
        e = expected.get(region.code)
        if e is None:
            assert region.entries == 0
            continue
        assert (region.towns, region.institutions, region.entries, region.accepted,
                region.children, region.finalists, region.winners) == (
            len(e["towns"]), len(e["institutions"]), e["entries"], e["accepted"],
            len(e["children"]), e["finalists"], e["winners"])
    assert figures.totals.entries == 25 == sum(e["entries"] for e in expected.values())
    assert figures.totals.winners == sum(e["winners"] for e in expected.values()) > 0
    assert figures.participating_regions == len(expected) == 5
    ages = Counter(a for (a,) in db.session.execute(
        text("SELECT age FROM entry WHERE contest_id = :c"), {"c": demo_contest.id}))
    assert figures.ages == dict(sorted(ages.items()))
    assert sum(figures.totals.by_category.values()) == 25


def test_every_format_shows_the_same_numbers(client, make, login, demo_contest):
    login(make.user(Role.ORGANIZER))
    figures = report.yearly_figures(demo_contest)
    expected = report.table(figures)
    page = client.get(f"/organizer/contests/{demo_contest.id}/report")
    assert page.status_code == 200
    assert f"<strong>{figures.totals.entries}</strong>" in page.data.decode()
    csv_rows = list(csv.reader(io.StringIO(client.get(
        f"/organizer/contests/{demo_contest.id}/report.csv").data.decode("utf-8-sig")),
        delimiter=";"))
    assert csv_rows == [[str(v) for v in row] for row in expected]
    sheet = load_workbook(io.BytesIO(client.get(
        f"/organizer/contests/{demo_contest.id}/report.xlsx").data)).active
    blank_as_none = [[None if v == "" else v for v in row] for row in expected]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == blank_as_none
    response = client.get(f"/organizer/contests/{demo_contest.id}/report.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    pdf = PdfReader(io.BytesIO(client.get(
        f"/organizer/contests/{demo_contest.id}/report.pdf").data))
    content = " ".join(p.extract_text() for p in pdf.pages)
    assert "Годовой отчёт" in content and f"заявок: {figures.totals.entries}" in content
    fonts = {str(font["/BaseFont"]) for page in pdf.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("+" in name for name in fonts), fonts  # every font embedded, subset
    assert client.get(f"/organizer/contests/{demo_contest.id}/report.doc").status_code == 404


@pytest.mark.parametrize("role", [None, Role.COORDINATOR, Role.JUROR])
def test_report_is_for_organizers(client, make, login, role):
    contest = make.contest()
    if role:
        login(make.user(role))
    for url in (f"/organizer/contests/{contest.id}/report", f"/organizer/contests/{contest.id}/report.csv"):
        assert client.get(url).status_code == (302 if role is None else 403)
    assert isinstance(contest, Contest)

