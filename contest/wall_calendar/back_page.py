"""What an edition's calendars print on the back page besides the winners: the partners with
their logos and the imprint (выходные сведения), as the organizers set them.

Operations flush and log; the views commit. A logo goes through the upload pipeline like a
drawing (size cap, Pillow's checks, decompression bombs refused, a new JPEG made from the
pixels so no metadata is kept, transparency laid on white) and is stored with its row
(``transaction.files_with_rows``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from calendar_builder import Imprint, Partner, Text

from .. import audit
from ..errors import RuleError
from ..extensions import db
from ..i18n import latin
from ..models import CalendarImprint, CalendarPartner, Contest
from ..uploads import ImageRejected, UploadLimits, process_image
from ..uploads.files import storage, upload_limits

MAX_LOGOS = 12  # the calendar builder's own limit (``calendar_builder.spec.MAX_LOGOS``)
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MIN_SHORT_EDGE = 100  # pixels: a smaller logo would print as a blur
LOGO_LONG_EDGE = 2400  # pixels: 20 cm at 300 ppi, far more than a logo's row needs
LOGO_THUMB_EDGE = 240
MAX_PRINT_RUN = 10_000_000  # the calendar builder's own limit


@dataclass(frozen=True)
class ImprintValues:
    """The imprint as the organizer entered it (texts stripped, one line each)."""

    publisher_ru: str = ""
    publisher_en: str = ""
    print_run: int | None = None
    printer_ru: str = ""
    printer_en: str = ""
    order_number: str = ""
    signed_on: date | None = None


def imprint(contest: Contest) -> CalendarImprint | None:
    """The imprint entered for ``contest``'s calendars, if any."""
    return db.session.scalar(select(CalendarImprint).where(
        CalendarImprint.contest_id == contest.id))


def save_imprint(contest: Contest, values: ImprintValues) -> CalendarImprint:
    """Enter or replace the imprint of ``contest``'s calendars; logged. The caller commits."""
    if values.print_run is not None and not 1 <= values.print_run <= MAX_PRINT_RUN:
        raise RuleError(_l("The print run is a number of copies from 1 to %(most)s.",
                           most=f"{MAX_PRINT_RUN:,}".replace(",", "\u00a0")),
                        field="print_run")
    row = imprint(contest) or CalendarImprint(contest_id=contest.id)
    for name, value in vars(values).items():
        setattr(row, name, _one_line(value) if isinstance(value, str) else value)
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.imprint", row, contest_id=contest.id, print_run=row.print_run,
                 order_number=row.order_number)
    return row


def partners(contest: Contest) -> list[CalendarPartner]:
    """The partners with logos of ``contest``'s calendars, in the order they were added."""
    return list(db.session.scalars(select(CalendarPartner).where(
        CalendarPartner.contest_id == contest.id).order_by(CalendarPartner.id)))


def logo_limits() -> UploadLimits:
    """What a partner's logo may be: the app's upload limits, smaller."""
    app = upload_limits()
    return UploadLimits(max_bytes=min(app.max_bytes, LOGO_MAX_BYTES),
                        max_decoded_bytes=app.max_decoded_bytes,
                        min_short_edge=LOGO_MIN_SHORT_EDGE, print_long_edge=LOGO_LONG_EDGE,
                        preview_long_edge=LOGO_THUMB_EDGE, thumbnail_long_edge=LOGO_THUMB_EDGE,
                        print_quality=95)


def prepare_partner(contest: Contest, name_ru: str, name_en: str, data: bytes,
                    filename: str | None) -> tuple[CalendarPartner, dict[str, bytes]]:
    """A new partner row of ``contest`` with its logo checked and made, and the files to
    store with it (``transaction.files_with_rows``). Raises ``RuleError`` for a logo the
    calendar cannot use or one too many."""
    if len(partners(contest)) >= MAX_LOGOS:
        raise RuleError(_l("A calendar prints at most %(most)d partners' logos: remove one "
                           "first.", most=MAX_LOGOS))
    try:
        logo = process_image(data, filename, logo_limits())
    except ImageRejected as error:
        raise RuleError(error.message, field="logo") from error
    prefix = f"calendar/{contest.id}/logos/{secrets.token_hex(8)}"
    row = CalendarPartner(contest_id=contest.id, name_ru=_one_line(name_ru),
                          name_en=_one_line(name_en), logo_key=f"{prefix}/logo.jpg",
                          thumbnail_key=f"{prefix}/thumb.jpg")
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.partner_added", row, contest_id=contest.id, name=row.name_ru)
    return row, {row.logo_key: logo.print_master, row.thumbnail_key: logo.thumbnail}


def remove_partner(contest: Contest, partner_id: int) -> list[str]:
    """Remove a partner of ``contest``; returns the keys of its files, to delete after the
    commit. Raises ``RuleError`` when there is no such partner."""
    row = db.session.get(CalendarPartner, partner_id)
    if row is None or row.contest_id != contest.id:
        raise RuleError(_l("This partner is no longer on the calendar."))
    keys = [row.logo_key, row.thumbnail_key]
    audit.record("calendar.partner_removed", row, contest_id=contest.id, name=row.name_ru)
    db.session.delete(row)
    db.session.flush()
    return keys


def delete_files(keys: list[str]) -> None:
    store = storage()
    for key in keys:
        store.delete(key)


def spec_partners(contest: Contest) -> tuple[Partner, ...]:
    """The partners with logos as the calendar builder takes them."""
    store = storage()
    return tuple(Partner(Text(p.name_ru, p.name_en or latin(p.name_ru)),
                         store.local_path(p.logo_key)) for p in partners(contest))


def spec_imprint(contest: Contest) -> Imprint:
    """The imprint as the calendar builder takes it (empty when none was entered)."""
    row = imprint(contest)
    if row is None:
        return Imprint()
    return Imprint(publisher=Text(row.publisher_ru, row.publisher_en or latin(row.publisher_ru)),
                   print_run=row.print_run,
                   printer=Text(row.printer_ru, row.printer_en or latin(row.printer_ru)),
                   order_number=row.order_number, signed=row.signed_on)


def _one_line(text: str) -> str:
    """``text`` on one line: line breaks and other control characters become spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
