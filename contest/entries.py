"""Entries: submitting a drawing, checking the contest's rules, moderating, children's data.

The submission form, the schools' batch, the demo and the command line call these functions.
An entry and its files are stored together or not at all.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from . import audit, consents, notifications
from .codes import CODE_LENGTH, new_code, normalize_code
from .contests import age_on, category_for_age
from .extensions import db
from .judging import operations as judging
from .models import (
    Consent,
    Contest,
    Entry,
    EntryStatus,
    Phase,
    Stage,
    StageKind,
    StageStatus,
    utcnow,
)
from .uploads.pipeline import ProcessedImage, UploadLimits, process_image, redact, rotate
from .uploads.storage import FileSystemStorage, Storage, storing

IMAGE_KINDS = ("print", "preview", "thumb", "jury")
DUPLICATE_IMAGE = _l("This very image has already been sent to the contest.")


class EntryError(Exception):
    """The entry breaks a contest rule. ``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, object]):
        super().__init__(errors)
        self.errors = {name: str(message) for name, message in errors.items()}


@dataclass
class EntryDetails:
    """What a family or a school tells us about one drawing."""

    region_id: int
    town: str
    child_first_name: str
    child_last_name: str
    title: str
    guardian_name: str
    birth_date: date | None = None
    age: int | None = None
    institution: str = ""
    teacher: str = ""
    description: str = ""
    guardian_email: str = ""
    guardian_phone: str = ""
    consents: dict[str, bool] = field(default_factory=dict)
    locale: str = "ru"  # the language to write to the family in


# --- storage -------------------------------------------------------------------------------


def storage() -> Storage:
    """The app's file storage (filesystem under ``UPLOAD_FOLDER``, never under ``static/``)."""
    store = current_app.extensions.get("contest_storage")
    if store is None:
        store = FileSystemStorage(current_app.config["UPLOAD_FOLDER"])
        current_app.extensions["contest_storage"] = store
    return store


def upload_limits() -> UploadLimits:
    return UploadLimits(max_bytes=current_app.config["UPLOAD_MAX_BYTES"])


def image_key(entry: Entry, kind: str) -> str:
    """Where one of an entry's images is stored. ``jury`` (the preview) carries the
    coordinator's masks when there are any; ``public`` (the thumbnail on public pages) carries
    them when the family did not agree to show the child's name (see ``hides_signature``)."""
    if kind == "jury" and not entry.jury_masks:
        kind = "preview"
    if kind == "public":
        kind = "public" if hides_signature(entry) else "thumb"
    if kind == "original":
        return f"{entry.image_key}/original"
    return f"{entry.image_key}/{kind}.jpg"


def _files(prefix: str, image: ProcessedImage) -> dict[str, str | bytes]:
    return {f"{prefix}/original": image.original, f"{prefix}/print.jpg": image.print_master,
            f"{prefix}/preview.jpg": image.preview, f"{prefix}/thumb.jpg": image.thumbnail}


# --- codes ---------------------------------------------------------------------------------


def find_by_code(text: str) -> Entry | None:
    code = normalize_code(text or "")
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Entry).where(Entry.code == code))


# --- the rules -----------------------------------------------------------------------------


def submissions_open(contest: Contest | None, today: date | None = None) -> bool:
    """Entries are taken while the phase says so, from the opening date to the deadline."""
    today = today or date.today()
    return (contest is not None and contest.phase is Phase.SUBMISSIONS_OPEN
            and contest.submissions_open_on <= today <= contest.submissions_close_on)


def folded(text: str) -> str:
    """A name as compared: case, spaces and ё/е do not tell two names apart."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(text.split())


def _age_of(contest: Contest, details: EntryDetails) -> int | None:
    """The child's age on the contest's reference date: from the birth date when given."""
    if details.birth_date:
        return age_on(details.birth_date, contest.age_reference_date)
    return details.age


def _child(region_id: int, first_name: str, last_name: str, age: int | None) -> tuple:
    # The age, not the birth date: every entry has an age, some only an age, and one
    # family may give the birth date while the school's list gives just the age.
    return (region_id, folded(first_name), folded(last_name), age)


def child_key(entry: Entry) -> tuple:
    """Who drew it: the same region, first and last name, and age on the contest's reference
    date mean the same child. Erased entries are nobody's twin."""
    if entry.personal_data_erased_at:
        return ("erased", entry.id)
    return _child(entry.stage.region_id, entry.child_first_name, entry.child_last_name,
                  entry.age)


def _same_child(contest: Contest, key: tuple) -> list[Entry]:
    """Entries of the contest, not rejected, by the child with this ``_child`` key."""
    region_id, *_, age = key
    query = select(Entry).join(Stage).where(
        Entry.contest_id == contest.id, Stage.region_id == region_id, Entry.age == age,
        Entry.status != EntryStatus.REJECTED)
    return [e for e in db.session.scalars(query) if child_key(e) == key]


PHONE_CHARACTERS = re.compile(r"[0-9+()\-. ]+")


def contact_problems(email: str, phone: str) -> dict[str, object]:
    """The guardian's email and phone, if given, must be ones we can write to or call."""
    problems: dict[str, object] = {}
    if email.strip():
        try:
            validate_email(email.strip(), check_deliverability=False)
        except EmailNotValidError:
            problems["guardian_email"] = _l("This does not look like an email address.")
    digits = sum(c.isdigit() for c in phone)
    if phone.strip() and not (PHONE_CHARACTERS.fullmatch(phone.strip()) and 7 <= digits <= 15):
        problems["guardian_phone"] = _l(
            "Write the phone number in digits, for example +7 912 345-67-89.")
    return problems


def check(contest: Contest, details: EntryDetails, image_sha256: str | None,
          already: list[EntryDetails] = ()) -> tuple[int, Stage, int]:
    """Apply the contest's rules; returns (age, stage, age category id) or raises EntryError.

    ``already``: entries of the same batch, not stored yet, that count toward the limits.
    """
    errors: dict[str, object] = {}
    stage = db.session.scalar(select(Stage).where(
        Stage.contest_id == contest.id, Stage.kind == StageKind.REGIONAL,
        Stage.region_id == details.region_id))
    if stage is None:
        errors["region"] = _l("This region does not take part in the contest this year.")
    if details.birth_date:
        age = _age_of(contest, details)
        if details.birth_date > date.today() or age < 0:
            errors["birth_date"] = _l("The birth date cannot be in the future.")
    elif details.age is not None:
        age = details.age
    else:
        age = -1
        errors["age"] = _l("Give the child's age or birth date.")
    category = category_for_age(contest, age) if age >= 0 else None
    if age >= 0 and category is None and "birth_date" not in errors:
        bands = ", ".join(f"{c.min_age}–{c.max_age}" for c in contest.age_categories)
        errors["birth_date" if details.birth_date else "age"] = _l(
            "The contest is for children aged %(bands)s on %(date)s; this child would be "
            "%(age)s.", bands=bands, date=contest.age_reference_date.strftime("%d.%m.%Y"),
            age=age)
    if not (details.guardian_email.strip() or details.guardian_phone.strip()):
        errors["guardian_email"] = _l("Give an email or a phone number, so we can reach you.")
    errors.update(contact_problems(details.guardian_email, details.guardian_phone))
    for consent in consents.ALL:
        if consent.required and not details.consents.get(consent.kind):
            errors[f"consent_{consent.kind}"] = _l("This consent is needed to take part.")
    if image_sha256 and db.session.scalar(select(Entry.id).where(
            Entry.contest_id == contest.id, Entry.image_sha256 == image_sha256)):
        errors["image"] = DUPLICATE_IMAGE
    if stage is not None and age >= 0 and not errors:
        key = _child(details.region_id, details.child_first_name, details.child_last_name, age)
        same = len(_same_child(contest, key)) + sum(
            1 for d in already if _child(d.region_id, d.child_first_name, d.child_last_name,
                                         _age_of(contest, d)) == key)
        if same >= contest.entries_per_child:
            errors["child_first_name"] = ngettext(
                "This child has already sent %(num)s drawing, as many as the contest takes "
                "from one child.",
                "This child has already sent %(num)s drawings, as many as the contest takes "
                "from one child.", same)
    if errors:
        raise EntryError(errors)
    return age, stage, category.id


def _new_entry(contest: Contest, details: EntryDetails, image: ProcessedImage, age: int,
               stage: Stage, category_id: int, via: str) -> Entry:
    code = new_code()
    entry = Entry(
        code=code, contest_id=contest.id, stage_id=stage.id, age_category_id=category_id,
        child_first_name=details.child_first_name.strip(),
        child_last_name=details.child_last_name.strip(), birth_date=details.birth_date, age=age,
        town=details.town.strip(), institution=details.institution.strip(),
        teacher=details.teacher.strip(), title=details.title.strip(),
        description=details.description.strip(), guardian_name=details.guardian_name.strip(),
        locale=details.locale,
        guardian_email=details.guardian_email.strip().lower(),
        guardian_phone=details.guardian_phone.strip(),
        image_key=f"entries/{contest.year}/{code[:2]}/{code}", image_sha256=image.sha256,
        image_format=image.format, image_bytes=len(image.original), width=image.width,
        height=image.height, effective_dpi=image.effective_dpi, submitted_via=via,
    )
    now = utcnow()
    entry.consents = [Consent(kind=c.kind, version=c.version, at=now,
                              granted=bool(details.consents.get(c.kind)))
                      for c in consents.ALL]
    return entry


def submit(contest: Contest, details: EntryDetails, image: ProcessedImage,
           via: str = "form") -> Entry:
    """Check and store one entry with its files; commits. Raises EntryError."""
    return submit_many(contest, [(details, image)], via=via)[0]


def check_all(contest: Contest, items: list[tuple[EntryDetails, str | None]]
              ) -> dict[int, dict[str, str]]:
    """Check many entries (details, image hash) as one batch: every problem of every item.

    Returns item index -> {field: message}; empty when all may be stored.
    """
    problems: dict[int, dict[str, str]] = {}
    seen: list[EntryDetails] = []
    hashes: set[str] = set()
    for index, (details, sha256) in enumerate(items):
        errors: dict[str, str] = {}
        if sha256 and sha256 in hashes:
            errors["image"] = str(_l("This very image is twice in the batch."))
        try:
            check(contest, details, sha256, already=seen)
        except EntryError as e:
            errors.update(e.errors)
        if errors:
            problems[index] = errors
        seen.append(details)
        if sha256:
            hashes.add(sha256)
    return problems


def submit_many(contest: Contest, items: list[tuple[EntryDetails, ProcessedImage]],
                via: str = "batch") -> list[Entry]:
    """Store all entries with their files, or none of them (a school's batch); commits.

    Raises EntryError with the first item's problems (``index`` set on the error).
    """
    if not submissions_open(contest):
        raise EntryError({"": _l("Submissions to this contest are closed.")})
    return store_many(contest, items, via)


def store_many(contest: Contest, items: list[tuple[EntryDetails, ProcessedImage]],
               via: str) -> list[Entry]:
    """``submit_many`` without the submission window: for archives and the demo's past year."""
    problems = check_all(contest, [(d, image.sha256) for d, image in items])
    if problems:
        index = min(problems)
        error = EntryError(problems[index])
        error.index = index
        raise error
    entries = []
    for details, image in items:
        age, stage, category_id = check(contest, details, None)
        entries.append(_new_entry(contest, details, image, age, stage, category_id, via))
    files = {}
    for entry, (_, image) in zip(entries, items, strict=True):
        files.update(_files(entry.image_key, image))
    try:
        with storing(storage(), files):
            db.session.add_all(entries)
            db.session.flush()
            for entry in entries:
                audit.record("entry.submit", entry, via=via)
            db.session.commit()
    except IntegrityError as e:
        # Two identical uploads raced each other; the unique index kept one.
        db.session.rollback()
        raise EntryError({"image": DUPLICATE_IMAGE}) from e
    return entries


# --- moderation ----------------------------------------------------------------------------

NEEDS_REASON = (EntryStatus.REJECTED, EntryStatus.NEEDS_PHOTO)
MODERATION_PHASES = (Phase.SUBMISSIONS_OPEN, Phase.REGIONAL_JUDGING)
# A mask narrower or lower than this (a share of the drawing) hides nothing readable.
MIN_MASK = 0.01


class ModerationClosed(EntryError):
    """The entry can no longer be moderated (``moderation_closed`` says why)."""

    def __init__(self, reason: str):
        super().__init__({"": reason})


def moderation_closed(entry: Entry) -> str | None:
    """Why the entry can no longer be moderated, turned, masked or sent again; None while it can.

    Once the regional jury has the entries, a decision must stand: changing it would
    contradict the scores, the published results and what the family has been told.
    """
    if entry.personal_data_erased_at:
        return str(_l("The child's personal data has been erased; this entry can no longer "
                      "be changed."))
    if entry.stage.status is not StageStatus.MODERATION:
        return str(_l("Moderation in this region is over (the jury stage: %(stage)s); "
                      "decisions and images can no longer be changed.",
                      stage=entry.stage.status.label))
    if entry.contest.phase not in MODERATION_PHASES:
        return str(_l("Moderation is over (the contest: %(phase)s); decisions and images can "
                      "no longer be changed.", phase=entry.contest.phase.label))
    return None


def require_moderation_open(entry: Entry) -> None:
    """Raise ModerationClosed unless the entry may still be moderated."""
    reason = moderation_closed(entry)
    if reason:
        raise ModerationClosed(reason)


def moderate(entry: Entry, status: EntryStatus, reason: str = "") -> None:
    """Accept, reject or ask for a better photo; the family is told by email. Commits."""
    require_moderation_open(entry)
    reason = reason.strip()
    if status in NEEDS_REASON and not reason:
        raise EntryError({"reason": _l("Please give the family a reason.")})
    before = entry.status
    entry.status, entry.status_reason = status, reason if status in NEEDS_REASON else ""
    audit.record("entry.moderate", entry, before=before.value, after=status.value, reason=reason)
    db.session.commit()
    notifications.status_changed(entry)


def rotate_entry(entry: Entry, degrees: int) -> None:
    """Turn the drawing (print, preview, thumbnail); the original stays as uploaded.

    The derivatives are made afresh from the original and turned by the total angle, so
    turning back and forth never costs quality.
    """
    require_moderation_open(entry)
    store = storage()
    total = (entry.rotation + degrees) % 360
    image = process_image(store.read(image_key(entry, "original")), None, upload_limits())
    made = {"print": image.print_master, "preview": image.preview, "thumb": image.thumbnail}
    turned = {image_key(entry, kind): rotate(data, total) if total else data
              for kind, data in made.items()}
    if entry.jury_masks:
        entry.jury_masks = []  # the rectangles were drawn on the old orientation
        store.delete(f"{entry.image_key}/jury.jpg")
        store.delete(f"{entry.image_key}/public.jpg")
    for key, data in turned.items():
        store.put(key, data)
    entry.rotation = total
    if degrees % 180:
        entry.width, entry.height = entry.height, entry.width
    audit.record("entry.rotate", entry, degrees=degrees)
    db.session.commit()


def hides_signature(entry: Entry) -> bool:
    """A masked area is mostly the child's signature: their name. Outside the jury it stays
    hidden unless the family agreed to show the child's name."""
    return bool(entry.jury_masks) and not entry.consent("show_name")


def mask_box(x: float, y: float, width: float, height: float) -> tuple[float, ...]:
    """A rectangle to hide (shares 0..1 of the drawing), cut at the drawing's edges.

    Raises EntryError (on ``w`` or ``h``) when what is left is smaller than ``MIN_MASK``.
    """
    x, y = min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
    width, height = min(width, 1.0 - x), min(height, 1.0 - y)
    small = _l("Make the area at least %(min)s%% of the drawing wide and high, inside the "
               "drawing.", min=round(MIN_MASK * 100))
    errors = {name: small for name, size in (("w", width), ("h", height)) if size < MIN_MASK}
    if errors:
        raise EntryError(errors)
    return tuple(round(v, 4) for v in (x, y, width, height))


def set_masks(entry: Entry, masks: list[tuple[float, float, float, float]]) -> None:
    """Hide rectangles (relative 0..1: x, y, width, height) on the jury's copy and the public
    thumbnail; the print master and the original stay as they are."""
    require_moderation_open(entry)
    clean = [mask_box(*box) for box in masks]
    store = storage()
    for masked, source in (("jury", "preview"), ("public", "thumb")):
        if clean:
            store.put(f"{entry.image_key}/{masked}.jpg",
                      redact(store.read(f"{entry.image_key}/{source}.jpg"), clean))
        else:
            store.delete(f"{entry.image_key}/{masked}.jpg")
    entry.jury_masks = [list(box) for box in clean]
    audit.record("entry.masks", entry, count=len(clean))
    db.session.commit()


def may_send_new_photo(entry: Entry) -> bool:
    """The coordinator asked the family for a better photo and can still look at it."""
    return entry.status is EntryStatus.NEEDS_PHOTO and moderation_closed(entry) is None


def replace_image(entry: Entry, image: ProcessedImage) -> None:
    """The family sends a better photo: new files, back to moderation. Commits."""
    if entry.status is not EntryStatus.NEEDS_PHOTO:
        raise EntryError({"image": _l("A new photo can be sent only when the coordinator asks.")})
    require_moderation_open(entry)
    if db.session.scalar(select(Entry.id).where(Entry.contest_id == entry.contest_id,
                                                Entry.image_sha256 == image.sha256)):
        raise EntryError({"image": DUPLICATE_IMAGE})
    old_prefix = entry.image_key
    prefix = f"{old_prefix.rsplit('/', 1)[0]}/{entry.code}-{secrets.token_hex(3)}"
    with storing(storage(), _files(prefix, image)):
        entry.image_key, entry.image_sha256 = prefix, image.sha256
        entry.image_format, entry.image_bytes = image.format, len(image.original)
        entry.width, entry.height = image.width, image.height
        entry.effective_dpi = image.effective_dpi
        entry.rotation, entry.jury_masks = 0, []
        entry.status, entry.status_reason = EntryStatus.RECEIVED, ""
        audit.record("entry.new_photo", entry)
        db.session.commit()
    _delete_files(old_prefix)


def _delete_files(prefix: str) -> None:
    store = storage()
    for name in ("original", "print.jpg", "preview.jpg", "thumb.jpg", "jury.jpg", "public.jpg"):
        store.delete(f"{prefix}/{name}")


# --- what may be shown ---------------------------------------------------------------------


def drawing_shown_publicly(entry: Entry) -> bool:
    """Whether public pages (results, gallery) may show the drawing: printing consented, the
    child's data not erased. Who is on those pages at all is the jury's published results."""
    return entry.consent("print") and not entry.personal_data_erased_at


def caption(entry: Entry) -> str:
    """The public caption: first name only with consent; age and town always."""
    age = ngettext("%(num)s year", "%(num)s years", entry.age)
    named = entry.consent("show_name") and not entry.personal_data_erased_at
    parts = [entry.child_first_name] if named else []
    return ", ".join([*parts, age, entry.town])


def status_counts(contest_id: int, stage_id: int | None = None) -> dict[EntryStatus, int]:
    query = select(Entry.status, func.count()).where(Entry.contest_id == contest_id)
    if stage_id is not None:
        query = query.where(Entry.stage_id == stage_id)
    counts = dict(db.session.execute(query.group_by(Entry.status)).all())
    return {status: counts.get(status, 0) for status in EntryStatus}


# --- children's data -----------------------------------------------------------------------

PERSONAL_FIELDS = ("child_first_name", "child_last_name", "birth_date", "institution", "teacher",
                   "description", "guardian_name", "guardian_email", "guardian_phone")
CONTACT_FIELDS = ("guardian_email", "guardian_phone")


def personal_data(entry: Entry) -> dict:
    """Everything stored about one child and their entry, for a guardian's request."""
    return {
        "code": entry.code, "contest": entry.contest.year, "region": entry.stage.region.code,
        "town": entry.town, "age": entry.age, "age_category": entry.age_category.name_ru,
        "title": entry.title, "status": entry.status.value,
        "status_reason": entry.status_reason, "award": entry.award.value if entry.award else None,
        "submitted_at": entry.submitted_at.isoformat(),
        **{name: _plain(getattr(entry, name)) for name in PERSONAL_FIELDS},
        "consents": [{"kind": c.kind, "version": c.version, "granted": c.granted,
                      "at": c.at.isoformat()} for c in entry.consents],
        "image": {"format": entry.image_format, "bytes": entry.image_bytes,
                  "width": entry.width, "height": entry.height, "sha256": entry.image_sha256},
        "history": [{"at": row.at.isoformat(), "what": audit.action_label(row.action),
                     "details": audit.details_text(row)} for row in audit.about_entry(entry)],
    }


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def erase_personal_data(entry: Entry) -> None:
    """Remove the child's and guardian's data and the drawing's files, on request. Commits.

    The entry row stays, anonymous (age, town, category, scores), so that rankings already
    made and the year's statistics do not change.
    """
    for name in PERSONAL_FIELDS:
        setattr(entry, name, None if name == "birth_date" else "")
    entry.status_reason = ""
    entry.personal_data_erased_at = entry.contacts_purged_at = utcnow()
    audit.forget_texts(entry)
    judging.forget_texts(entry)
    audit.record("entry.erase_personal_data", entry)
    db.session.commit()
    _delete_files(entry.image_key)


def purge_contacts(contest: Contest, keep_entry_ids: set[int]) -> int:
    """After the contest: delete guardians' contacts except for ``keep_entry_ids`` (winners).

    Returns how many entries were purged. Commits.
    """
    purged = 0
    for entry in db.session.scalars(select(Entry).where(
            Entry.contest_id == contest.id, Entry.contacts_purged_at.is_(None))):
        if entry.id in keep_entry_ids:
            continue
        for name in CONTACT_FIELDS:
            setattr(entry, name, "")
        entry.contacts_purged_at = utcnow()
        purged += 1
    audit.record("contest.purge_contacts", contest, entries=purged)
    db.session.commit()
    return purged
