"""Certificates: participation for every accepted entry, diplomas for finalists and winners.

One PDF page per entry, A4 landscape, in Russian or English, with the drawing's thumbnail.
A parent downloads one from the status page; organizers and coordinators make batches in
the background: one PDF per institution, or a ZIP of them for a region.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from . import jobs, signatories
from .config import DEFAULT_LANGUAGE
from .extensions import db
from .i18n import drawing_title, in_language
from .models import Entry, EntryStatus, Job, Stage
from .pdf import ACCENT, INK, PAPER, RULE, SUN, WHITE, JpegSource, fonts, raw_streams
from .uploads import files
from .uploads.storage import InvalidKey

PAGE = landscape(A4)
LEFT, TEXT_WIDTH = 26 * mm, 145 * mm  # the texts' column
DRAWING_BOX = (180 * mm, 55 * mm, 92 * mm, 112 * mm)  # x, y, width, height: the drawing fits
LOGO_BOX = (180 * mm, 171 * mm, 92 * mm, 18 * mm)  # the edition's logo, at the top right
MOUNT = 2 * mm  # the white mount around the drawing
SIGNATURE_LINE_Y = 38 * mm
SIGNATURE_HEIGHT = 14 * mm  # the signature's image, above its line
# The signature lines across the page: (first line's x, line length, gap) by how many sign.
SIGNATURE_ROWS = {1: (LEFT, 90 * mm, 0), 2: (LEFT, 90 * mm, 120 * mm),
                  3: (LEFT, 75 * mm, 83 * mm)}
NEAR_WHITE = [235, 255, 235, 255, 235, 255]  # a scan's paper: left out, the cream shows


# --- what a certificate is made of ----------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A rectangle, rounded when ``radius``; filled and stroked in the colours given."""

    x: float
    y: float
    w: float
    h: float
    stroke: Color
    width: float
    fill: Color | None = None
    radius: float = 0.0


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: Color
    width: float


@dataclass(frozen=True)
class Words:
    """One line of text at its fitted size; ``x`` is its left end, or its right end."""

    text: str
    font: str
    size: float
    x: float
    y: float
    colour: Color
    align: str = "left"  # or "right"


@dataclass(frozen=True)
class Drawing:
    """An image in its box; ``mask`` leaves out colours in those ranges (a scan's paper)."""

    image: JpegSource | ImageReader
    x: float
    y: float
    w: float
    h: float
    mask: list[int] | None = None


Item = Frame | Line | Words | Drawing


def kind_of(entry: Entry) -> str | None:
    """Which certificate an entry earns: winner, finalist, participant, or none yet."""
    key = entry.public_status.key
    if key in ("winner", "finalist"):
        return key
    return "participant" if entry.status is EntryStatus.ACCEPTED else None


def child_name(entry: Entry) -> str:
    """The name as consented: first and last name with consent to show it, else first name."""
    if entry.consent("show_name"):
        return in_language(f"{entry.child_first_name} {entry.child_last_name}".strip())
    return in_language(entry.child_first_name)


def wording(entry: Entry, kind: str) -> tuple[str, str, str]:
    """The certificate's title, the words before the child's name and the line after it, in
    the current language. The name stays in the nominative: it follows «награждается»
    (diplomas) or «участник конкурса» (the certificate of participation), never a
    preposition that would decline it. The drawing's title is the family's English one on an
    English certificate, else their Russian one marked as such (``i18n.drawing_title``)."""
    title = drawing_title(entry)
    if kind == "winner":  # only the national stage names winners
        return (_("Winner's diploma"), _("awarded to"),
                _("for the drawing %(title)s, a winner of the national stage", title=title))
    if kind == "finalist":  # a regional jury's choice for the national stage
        return (_("Finalist's diploma"), _("awarded to"),
                _("for the drawing %(title)s, chosen by the regional jury for the national "
                  "stage", title=title))
    return (_("Certificate of participation"), _("contest participant"),
            _("with the drawing %(title)s", title=title))


def render(items: Iterable[Entry], language: str = DEFAULT_LANGUAGE) -> bytes:
    """A PDF with one certificate page per entry that earns one."""
    faces = fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE, initialFontName=faces.regular, initialFontSize=12,
                    pageCompression=1)
    canvas.setTitle("Certificates")
    with force_locale(language), raw_streams():  # ASCII85 would cost most of the time
        for entry in items:
            kind = kind_of(entry)
            if kind:
                paint(canvas, certificate_layout(entry, kind, _drawing(entry)))
                canvas.showPage()
        canvas.save()
    return out.getvalue()


# --- layout: where everything goes, measured, in points --------------------------------------


def certificate_layout(entry: Entry, kind: str,
                       drawing: tuple[JpegSource, tuple[int, int]] | None) -> list[Item]:
    """The page of ``entry``'s certificate of ``kind``, with its ``drawing`` (image, pixels)."""
    faces = fonts()
    width, height = PAGE
    # Cream only inside the frame: office printers cannot print to the sheet's edge.
    items: list[Item] = [
        Frame(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm, SUN, 6, PAPER, 8 * mm),
        Frame(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm, ACCENT, 1.2, radius=6 * mm),
    ]
    contest = entry.contest
    title, lead, reason = wording(entry, kind)
    items += [
        Words(_("Children's drawing contest %(year)s", year=contest.year).upper(), faces.regular,
              12, LEFT, height - 32 * mm, INK),
        _fitted(title, faces.display, 34, height - 52 * mm, ACCENT),
        Words(lead, faces.italic, 16, LEFT, height - 70 * mm, INK),
        _fitted(child_name(entry), faces.bold, 34, height - 85 * mm, INK),
    ]
    facts = (_("age category: %(category)s", category=entry.age_category.name),
             ", ".join(dict.fromkeys([entry.stage.region.name, in_language(entry.town)])),
             _("“%(title)s” — %(theme)s", title=contest.title, theme=contest.local("theme")))
    lines = _wrapped(reason, faces.regular, 15) + [_fitted(line, faces.regular, 15, 0, INK)
                                                   for line in facts]
    for n, line in enumerate(lines):
        items.append(replace(line, y=height - 100 * mm - n * 8 * mm))

    if drawing is not None:
        image, (iw, ih) = drawing
        box_x, box_y, box_w, box_h = DRAWING_BOX
        scale = min(box_w / iw, box_h / ih)
        w, h = iw * scale, ih * scale
        x, y = box_x + (box_w - w) / 2, box_y + (box_h - h) / 2
        items += [Frame(x - MOUNT, y - MOUNT, w + 2 * MOUNT, h + 2 * MOUNT, RULE, 1.2, WHITE),
                  Drawing(image, x, y, w, h)]

    logo = _stored_image(contest.certificate_logo)
    if logo is not None:
        items.append(_fitted_image(logo, LOGO_BOX, align="right"))
    items += signature_lines(signatories.signatories(contest))
    issued = _printable(format_date(date.today(), "long"))
    items.append(Words(_("Issued on %(date)s", date=issued), faces.italic, 10,
                       width - 26 * mm, 20 * mm, INK, align="right"))
    return items


def signature_lines(people: list[dict]) -> list[Item]:
    """A line per signatory, their signature's image above it, name and title under it; two
    lines to sign by hand, labelled by role, when the edition names no one."""
    faces = fonts()
    language = str(get_locale() or DEFAULT_LANGUAGE)
    if not people:
        people = [{"title_ru": _("Chair of the organizing committee")},
                  {"title_ru": _("Regional coordinator")}]
    first, length, gap = SIGNATURE_ROWS[min(len(people), len(SIGNATURE_ROWS))]
    items: list[Item] = []
    for n, person in enumerate(people[:len(SIGNATURE_ROWS)]):
        x, y = first + n * gap, SIGNATURE_LINE_Y
        signature = _stored_image(person.get("signature", ""))
        if signature is not None:
            items.append(_fitted_image(signature, (x, y + 1 * mm, length, SIGNATURE_HEIGHT)))
        items.append(Line(x, y, x + length, y, INK, 0.6))
        texts = [(in_language(person["name"]), faces.bold)] if person.get("name") else []
        texts.append((signatories.title_of(person, language), faces.regular))
        for k, (text, font) in enumerate(texts):
            items.append(_fitted_to(text, font, 10, x, y - 5 * mm - k * 4.5 * mm, length))
    return items


def _fitted_to(text: str, font: str, size: float, x: float, y: float, room: float) -> Words:
    while size > 6 and stringWidth(text, font, size) > room:
        size -= 0.5
    return Words(text, font, size, x, y, INK)


def _stored_image(key: str) -> ImageReader | None:
    """A signature or logo from storage, for the page; None if none is set or it is gone
    (a certificate is still worth printing without it)."""
    if not key:
        return None
    if key not in _READ:  # a key names one upload for good (a new one gets a new key)
        try:
            data = files.storage().read(key)
        except (FileNotFoundError, InvalidKey):
            return None
        with Image.open(io.BytesIO(data)) as image:
            if len(_READ) > 32:
                _READ.clear()
            _READ[key] = ImageReader(image.convert("RGB"))
    return _READ[key]


_READ: dict[str, ImageReader] = {}  # a batch prints the same few images on every page


def _fitted_image(image: ImageReader, box: tuple[float, float, float, float],
                  align: str = "left") -> Drawing:
    """``image`` as large as fits ``box`` in its proportions, at its bottom, left or right."""
    iw, ih = image.getSize()
    x, y, w, h = box
    scale = min(w / iw, h / ih)
    shown_w = iw * scale
    left = x + w - shown_w if align == "right" else x
    return Drawing(image, left, y, shown_w, ih * scale, mask=NEAR_WHITE)


def _printable(text: str) -> str:
    # Babel puts a narrow no-break space in "2026 г."; the fonts have no glyph for it.
    return text.replace("\u202f", "\u00a0")


def _fitted(text: str, font: str, size: float, y: float, colour: Color) -> Words:
    """One line in the texts' column, its size shrunk (to half at most) to fit the column."""
    while size > 6 and stringWidth(text, font, size) > TEXT_WIDTH:
        size -= 0.5
    return Words(text, font, size, LEFT, y, colour)


def _wrapped(text: str, font: str, size: float, smallest: float = 11,
             most: int = 3) -> list[Words]:
    """``text`` as one line of the column if it fits at ``smallest`` or more, else as up to
    ``most`` lines at ``smallest`` + 2 (a long title), the last cut with "…" if too few.
    The caller places them (``y``)."""
    if stringWidth(text, font, smallest) <= TEXT_WIDTH:
        return [_fitted(text, font, size, 0, INK)]
    size = smallest + 2
    lines = simpleSplit(text, font, size, TEXT_WIDTH)
    if len(lines) > most:
        last = " ".join(lines[most - 1:])
        while stringWidth(last + "…", font, size) > TEXT_WIDTH:
            last = last[:-1]
        lines = lines[:most - 1] + [last.rstrip() + "…"]
    return [_fitted(line, font, size, 0, INK) for line in lines]


def _drawing(entry: Entry) -> tuple[JpegSource, tuple[int, int]] | None:
    """The drawing for the frame: the web preview decoded at half size by the JPEG decoder
    itself (fast: 800 px, about 220 ppi in the frame, ten times the old thumbnail's detail
    for a tenth of the preview's bytes), embedded as the JPEG it becomes."""
    if entry.personal_data_erased_at:
        return None
    with Image.open(io.BytesIO(files.storage().read(
            files.image_key(entry, "preview")))) as image:
        image.draft("RGB", (image.width // 2, image.height // 2))
        small = image.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=88)
    return JpegSource(f"drawing-{entry.id}", out.getvalue()), small.size


# --- drawing: the canvas paints the items as they are ----------------------------------------


def paint(canvas: Canvas, items: Iterable[Item]) -> None:
    """Paint a certificate's items, in order."""
    for item in items:
        match item:
            case Frame(x, y, w, h, stroke, width, fill, radius):
                if fill is not None:
                    canvas.setFillColor(fill)
                canvas.setStrokeColor(stroke)
                canvas.setLineWidth(width)
                filled = 0 if fill is None else 1
                if radius:
                    canvas.roundRect(x, y, w, h, radius, stroke=1, fill=filled)
                else:
                    canvas.rect(x, y, w, h, stroke=1, fill=filled)
            case Line(x1, y1, x2, y2, colour, width):
                canvas.setStrokeColor(colour)
                canvas.setLineWidth(width)
                canvas.line(x1, y1, x2, y2)
            case Words(text, font, size, x, y, colour, align):
                canvas.setFillColor(colour)
                canvas.setFont(font, size)
                if align == "right":
                    canvas.drawRightString(x, y, text)
                else:
                    canvas.drawString(x, y, text)
            case Drawing(image, x, y, w, h, mask):
                canvas.drawImage(image, x, y, w, h, mask=mask)


# --- batches -------------------------------------------------------------------------------


def certified_entries(contest_id: int, stage_id: int | None = None) -> list[Entry]:
    """Entries that earn a certificate, by region, institution and name."""
    query = select(Entry).join(Stage).where(Entry.contest_id == contest_id,
                                            Entry.personal_data_erased_at.is_(None))
    if stage_id is not None:
        query = query.where(Entry.stage_id == stage_id)
    found = [e for e in db.session.scalars(query) if kind_of(e)]
    return sorted(found, key=lambda e: (e.stage.region.code, e.town, e.institution,
                                        e.child_last_name, e.child_first_name, e.id))


def by_institution(items: list[Entry]) -> dict[tuple[str, str], list[Entry]]:
    """Entries grouped by where they will be handed out: region, then town and institution
    (two towns' "School No. 5" are two schools). Keys: (region code, "Town, institution")."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    nowhere = _("without an institution")
    for entry in items:
        place = f"{entry.town}, {entry.institution or nowhere}"
        groups[(entry.stage.region.code, place)].append(entry)
    return dict(groups)


def _safe_name(text: str) -> str:
    kept = re.sub(r"[^\w\-. ]+", "", text.replace("№", "N"), flags=re.UNICODE)
    return re.sub(r"\s+", "_", kept.strip())[:80] or "x"


@jobs.handler("certificates")
def batch_job(job: Job, progress: Callable[[int, int, str], None]) -> tuple[str, str]:
    """A ZIP of PDFs, one per institution, for a region (``stage_id``) or the whole contest."""
    params = job.params
    items = certified_entries(job.contest_id, params.get("stage_id"))
    job.entry_ids = [e.id for e in items]  # what an erasure withdraws the ZIP for
    groups = by_institution(items)
    done, total = 0, len(items)
    progress(0, total, "")
    key = f"{jobs.output_prefix(job)}/certificates.zip"
    # Straight into storage, one school's PDF at a time: a region's ZIP can be large.
    with files.storage().writer(key) as out, zipfile.ZipFile(out, "w") as archive:
        used: set[str] = set()
        for (region, place), group in groups.items():
            name = f"{region}/{_safe_name(place)}"
            while f"{name}.pdf" in used:  # "School 1" and "School №1" read alike once cleaned
                name += "_"
            used.add(f"{name}.pdf")
            archive.writestr(f"{name}.pdf", render(group, params.get("language", DEFAULT_LANGUAGE)))
            done += len(group)
            progress(done, total, place)
    return key, f"certificates-{params.get('name', job.contest_id)}.zip"
