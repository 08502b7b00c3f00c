"""Who signs an edition's certificates, and its logo: set by organizers, printed on every
certificate and diploma of the edition (``certificates``).

Up to ``MAX_SIGNATORIES`` people, each a name, a title in Russian and in English, and an
optional image of their signature; the logo is one image. The images go through the same
pipeline as the children's drawings (``uploads.pipeline.process_image``: size caps, Pillow's
checks, re-encoded from pixels, so no metadata is kept) at smaller sizes, and are stored with
the row in one step (``transaction.files_with_rows``), the replaced ones deleted after it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import audit
from .errors import RuleError
from .models import Contest
from .text import one_line
from .transaction import files_with_rows
from .uploads.files import storage
from .uploads.pipeline import MB, ImageRejected, UploadLimits, process_image

MAX_SIGNATORIES = 3
NAME_LENGTH, TITLE_LENGTH = 120, 150
# A signature is a few centimetres wide, a logo a few more: 1200 px is over 300 ppi for both.
IMAGE_LIMITS = UploadLimits(max_bytes=5 * MB, max_pixels=40_000_000, min_short_edge=40,
                            print_long_edge=1200, preview_long_edge=1200,
                            thumbnail_long_edge=200)


@dataclass(frozen=True)
class Signatory:
    """One person as the organizer's form gives them; ``image`` is an uploaded file's bytes,
    ``drop_image`` asks to remove the stored one."""

    name: str = ""
    title_ru: str = ""
    title_en: str = ""
    image: bytes | None = None
    drop_image: bool = False


def signatories(contest: Contest) -> list[dict]:
    """The edition's signatories as stored: name, title_ru, title_en, signature (a key)."""
    return list(contest.certificate_signatories or [])


def title_of(person: dict, language: str) -> str:
    """A signatory's title in ``language``; the Russian one if no English was given."""
    return (person.get("title_en") if language == "en" else "") or person.get("title_ru", "")


def save(contest: Contest, people: list[Signatory], logo: bytes | None = None,
         drop_logo: bool = False) -> None:
    """Set the edition's signatories (empty ones are left out) and logo. Commits, with the
    new images, or raises RuleError (``errors`` by form field: ``s0_name``, ...)
    and changes nothing."""
    if len(people) > MAX_SIGNATORIES:
        raise RuleError(_l("At most %(n)s people sign a certificate.", n=MAX_SIGNATORIES))
    errors: dict[str, object] = {}
    old = {n: p for n, p in enumerate(signatories(contest))}
    kept: list[dict] = []
    files: dict[str, bytes] = {}
    unused: list[str] = []
    for n, person in enumerate(people):
        name, title_ru, title_en = (one_line(person.name), one_line(person.title_ru),
                                    one_line(person.title_en))
        field = f"s{n}_"
        previous = old.get(n, {}).get("signature", "")
        if not (name or title_ru or title_en or person.image):
            if previous:
                unused.append(previous)
            continue
        if not name:
            errors[field + "name"] = _l("Give the name of the person who signs.")
        if not title_ru:
            errors[field + "title_ru"] = _l("Give their title in Russian.")
        for key, value, limit in (("name", name, NAME_LENGTH), ("title_ru", title_ru,
                                  TITLE_LENGTH), ("title_en", title_en, TITLE_LENGTH)):
            if len(value) > limit:
                errors[field + key] = _l("At most %(n)s characters, please.", n=limit)
        signature = "" if person.drop_image else previous
        if person.image:
            try:
                signature = _stored(contest, _image(person.image), files)
            except ImageRejected as e:
                errors[field + "image"] = e.message
        if previous and signature != previous:
            unused.append(previous)
        kept.append({"name": name, "title_ru": title_ru, "title_en": title_en,
                     "signature": signature})
    logo_key = "" if drop_logo else contest.certificate_logo
    if logo:
        try:
            logo_key = _stored(contest, _image(logo), files)
        except ImageRejected as e:
            errors["logo"] = e.message
    if errors:
        raise RuleError(errors=errors)
    if contest.certificate_logo and logo_key != contest.certificate_logo:
        unused.append(contest.certificate_logo)
    with files_with_rows(files, then=lambda: [storage().delete(key) for key in unused]):
        contest.certificate_signatories = kept
        contest.certificate_logo = logo_key
        audit.record("contest.certificate_people", contest, count=len(kept),
                     logo=bool(logo_key))


def _image(data: bytes) -> bytes:
    return process_image(data, limits=IMAGE_LIMITS).print_master


def _stored(contest: Contest, data: bytes, files: dict[str, bytes]) -> str:
    key = f"contests/{contest.year}/certificate-{secrets.token_hex(8)}.jpg"
    files[key] = data
    return key
