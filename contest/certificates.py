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
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from PIL import Image
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from calendar_builder.render import JpegSource, raw_streams
from calendar_builder.spec import FONTS_DIR

from . import jobs
from .config import DEFAULT_LANGUAGE
from .extensions import db
from .i18n import in_language
from .models import Entry, EntryStatus, Job, Stage
from .uploads import files

INK, ACCENT = HexColor("#1d3557"), HexColor("#e85d04")
SUN, PAPER = HexColor("#ffb703"), HexColor("#fffaf0")
FONTS = {"regular": "PTSans-Regular", "bold": "PTSans-Bold", "italic": "PTSans-Italic",
         "display": "Comfortaa-Bold"}


def register_fonts() -> None:
    for name in FONTS.values():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))


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


def render(items: Iterable[Entry], language: str = DEFAULT_LANGUAGE) -> bytes:
    """A PDF with one certificate page per entry that earns one."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4), initialFontName=FONTS["regular"],
                    initialFontSize=12, pageCompression=1)
    canvas.setTitle("Certificates")
    with force_locale(language), raw_streams():  # ASCII85 would cost most of the time
        for entry in items:
            kind = kind_of(entry)
            if kind:
                _page(canvas, entry, kind)
                canvas.showPage()
        canvas.save()
    return out.getvalue()


def _page(c: Canvas, entry: Entry, kind: str) -> None:
    width, height = landscape(A4)
    # Cream only inside the frame: office printers cannot print to the sheet's edge.
    c.setFillColor(PAPER)
    c.setStrokeColor(SUN)
    c.setLineWidth(6)
    c.roundRect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm, 8 * mm, stroke=1, fill=1)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.roundRect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm, 6 * mm, stroke=1, fill=0)

    contest = entry.contest
    left, text_width = 26 * mm, 145 * mm
    c.setFillColor(INK)
    c.setFont(FONTS["regular"], 12)
    c.drawString(left, height - 32 * mm, _("Children's drawing contest %(year)s",
                                           year=contest.year).upper())
    titles = {"participant": _("Certificate of participation"),
              "finalist": _("Finalist's diploma"), "winner": _("Winner's diploma")}
    c.setFillColor(ACCENT)
    _fit(c, titles[kind], FONTS["display"], 34, left, height - 52 * mm, text_width)
    c.setFillColor(INK)
    c.setFont(FONTS["italic"], 16)
    c.drawString(left, height - 70 * mm, _("awarded to"))
    _fit(c, child_name(entry), FONTS["bold"], 34, left, height - 85 * mm, text_width)
    lines = [
        _("for the drawing “%(title)s”", title=entry.title),
        _("age category: %(category)s", category=entry.age_category.name),
        ", ".join(dict.fromkeys([entry.stage.region.name, in_language(entry.town)])),
        _("“%(title)s” — %(theme)s", title=contest.title, theme=contest.local("theme")),
    ]
    y = height - 100 * mm
    for line in lines:
        _fit(c, line, FONTS["regular"], 15, left, y, text_width)
        y -= 9 * mm

    drawing = _drawing(entry)
    if drawing is not None:
        image, (iw, ih) = drawing
        box_x, box_y, box_w, box_h = 180 * mm, 50 * mm, 92 * mm, 120 * mm
        scale = min(box_w / iw, box_h / ih)
        w, h = iw * scale, ih * scale
        x, y0 = box_x + (box_w - w) / 2, box_y + (box_h - h) / 2
        c.setFillColor(HexColor("#ffffff"))
        c.setStrokeColor(HexColor("#e4ddd2"))
        c.rect(x - 2 * mm, y0 - 2 * mm, w + 4 * mm, h + 4 * mm, stroke=1, fill=1)
        c.drawImage(image, x, y0, w, h)

    c.setStrokeColor(INK)
    c.setFillColor(INK)
    c.setLineWidth(0.6)
    for n, label in enumerate([_("Chair of the organizing committee"), _("Regional coordinator")]):
        x = left + n * 120 * mm
        c.line(x, 34 * mm, x + 90 * mm, 34 * mm)
        c.setFont(FONTS["regular"], 10)
        c.drawString(x, 29 * mm, label)
    c.setFont(FONTS["italic"], 10)
    issued = _printable(format_date(date.today(), "long"))
    c.drawRightString(width - 26 * mm, 22 * mm, _("Issued on %(date)s", date=issued))


def _printable(text: str) -> str:
    # Babel puts a narrow no-break space in "2026 г."; the fonts have no glyph for it.
    return text.replace("\u202f", "\u00a0")


def _fit(c: Canvas, text: str, font: str, size: float, x: float, y: float, width: float) -> None:
    """Draw one line, shrinking the font (to half at most) so it stays within ``width``."""
    while size > 6 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    c.setFont(font, size)
    c.drawString(x, y, text)


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
