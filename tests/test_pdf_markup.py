"""Whatever an organizer or a family writes reaches every PDF as text, never as markup.

ReportLab reads a paragraph's text as markup: ``<img src=...>`` would embed a file of the
server, ``<font size=80>`` would swallow the page, an unbalanced ``<`` would stop the PDF. Each
field that reaches a PDF is filled with such markup here; the PDF must be made, show the
markup as literal text (``pdftotext``) and embed no image beyond the drawings (``pdfimages``).
"""

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from calendar_builder import build_calendar
from contest import certificates, report, wall_calendar
from contest.extensions import db
from contest.models import Award, EntryStatus, Fact, Phase
from contest.wall_calendar import Options

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfimages")),
                                reason="poppler-utils (pdftotext, pdfimages) not installed")


SECRET_SIZE = (37, 41)  # no drawing or thumbnail has this size


@pytest.fixture
def secret_image() -> Iterator[Path]:
    """A file of the server that markup could pull into a PDF: a real image, so that
    ReportLab would embed it rather than fail; on a short path, so the markup fits a line."""
    folder = Path(tempfile.mkdtemp(prefix="s", dir="/tmp"))
    Image.new("RGB", SECRET_SIZE, (1, 2, 3)).save(folder / "s.png")
    yield folder / "s.png"
    shutil.rmtree(folder)


def markup(field: str, image: Path) -> str:
    """Markup of every kind ReportLab's paragraphs read, tagged with the field's name so each
    field is found on its own; an unbalanced ``<`` and an entity last."""
    return f'{field}<img src="{image}"/><b>x</b><font size=80>y</font><para>&amp; 1<2'


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text


def image_sizes(pdf: bytes, tmp_path: Path) -> list[tuple[int, int]]:
    """The width and height of every image the PDF embeds (``pdfimages -list``)."""
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    return [(int(row.split()[3]), int(row.split()[4])) for row in listing[2:]]


def assert_literal(text: str, expected: str) -> None:
    """``expected`` is in ``text`` as written, whichever lines or words a layout broke it into
    (a narrow table column breaks a long word, a caption wraps)."""
    assert "".join(expected.split()) in "".join(text.split()), (expected, text[:3000])


def _marked_contest(make, image: Path, **entry_fields):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, **entry_fields)
    # Set after the submission so the form's own checks do not stand in for the PDF's.
    for field in ("title_ru", "title_en", "theme_ru", "theme_en", "motto_ru", "motto_en",
                  "rules_ru", "rules_en"):
        setattr(contest, field, markup(field, image))
    for n, category in enumerate(contest.age_categories):
        category.name_ru, category.name_en = (markup(f"category{n}_ru", image),
                                              markup(f"category{n}_en", image))
    for n, criterion in enumerate(contest.criteria):
        criterion.name_ru = markup(f"criterion{n}", image)
    for field in ("child_first_name", "title", "town", "institution", "teacher",
                  "description"):
        setattr(entry, field, markup(field, image))
    # Shorter: the whole name is one line of a certificate, which shrinks only so far.
    entry.child_last_name = "<b>L</b>&amp;<2"
    db.session.commit()
    return contest, entry


def test_the_yearly_report_shows_markup_as_text(make, secret_image, tmp_path):
    contest, entry = _marked_contest(make, secret_image)
    for language, suffix in (("ru", "ru"), ("en", "ru")):  # titles fall back to Russian
        pdf = report.to_pdf(report.yearly_figures(contest), language)
        text = pdf_text(pdf, tmp_path)
        assert_literal(text, markup("title_" + suffix, secret_image))
        # the age categories head the table's columns (named as when the figures were made)
        assert_literal(text, entry.age_category.name)
        assert image_sizes(pdf, tmp_path) == []


@pytest.mark.parametrize("award", [None, Award.FINALIST, Award.WINNER],
                         ids=["certificate", "finalist diploma", "winner diploma"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_certificates_and_diplomas_show_markup_as_text(make, secret_image, tmp_path, award,
                                                       language):
    contest, entry = _marked_contest(make, secret_image)
    if award is not None:
        entry.award = award
        db.session.commit()
    assert certificates.kind_of(entry) == ("participant" if award is None else award.value)
    pdf = certificates.render([entry], language)
    text = pdf_text(pdf, tmp_path)
    for field in ("child_first_name", "title"):
        assert_literal(text, markup(field, secret_image))
    assert_literal(text, entry.child_last_name if language == "ru" else "<b>L</b>&amp;<2")
    if language == "ru":  # the English edition writes the town in Latin letters
        assert_literal(text, markup("town", secret_image))
    assert_literal(text, markup(f"title_{language}", secret_image))
    assert_literal(text, markup(f"theme_{language}", secret_image))
    assert_literal(text, getattr(entry.age_category, f"name_{language}"))
    assert len(image_sizes(pdf, tmp_path)) == 1  # the drawing, and nothing else


def test_the_wall_calendar_shows_markup_as_text(make, secret_image, tmp_path):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    region = make.region("RU-TA")
    drawings = [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                           size=(1200, 850)) for age in (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                                         16, 9)]
    # A caption is small: its fields share the markup out between them.
    for n, entry in enumerate(drawings):
        entry.child_first_name = f"N{n}<b>x</b>&amp;"
        entry.title = f'D{n}<img src="{secret_image}"/><para>'
        entry.town = f"T{n}<font size=80>1<2"
    contest.title_ru = markup("title_ru", secret_image)
    contest.motto_ru = markup("motto_ru", secret_image)
    db.session.add(fact := Fact(text_ru=markup("fact", secret_image),
                                source_ru=markup("source", secret_image)))
    db.session.commit()
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.set_fact(contest, region, 1, fact)
    wall_calendar.suggest_facts(contest, region)
    db.session.commit()
    links = tmp_path / "links"
    links.mkdir()
    spec = wall_calendar.to_spec(contest, region, Options(), link_into=links)
    out = tmp_path / "calendar.pdf"
    build_calendar(spec, out)
    pdf = out.read_bytes()
    # The calendar sets text typographically: quotes curled, long words hyphenated at a break.
    text = pdf_text(pdf, tmp_path).replace("-\n", "").translate(str.maketrans("«»“”„", '"""""'))
    assert_literal(text, markup("title_ru", secret_image))
    assert_literal(text, markup("motto_ru", secret_image))
    assert_literal(text, markup("fact", secret_image))
    assert_literal(text, markup("source", secret_image))
    for entry in drawings[1:]:  # the months' drawings (slot 0 is the cover's)
        for field in (entry.child_first_name, entry.title, entry.town):
            assert_literal(text, field)
    sizes = image_sizes(pdf, tmp_path)
    assert len(sizes) >= 13 and SECRET_SIZE not in sizes  # the drawings (and their thumbnails)


def test_every_paragraph_is_made_by_the_one_escaping_helper():
    root = Path(__file__).resolve().parents[1]
    builders = sorted(str(path.relative_to(root))
                      for folder in ("contest", "calendar_builder")
                      for path in (root / folder).rglob("*.py")
                      if re.search(r"\b(Paragraph|XPreformatted|Preformatted)\(",
                                   path.read_text(encoding="utf-8")))
    assert builders == ["contest/pdf.py"], "make paragraphs with contest.pdf.paragraph (it escapes)"
