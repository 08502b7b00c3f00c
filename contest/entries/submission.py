"""Submitting drawings: the contest's rules for an entry, and storing entries with their files.

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
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, consents, notifications
from ..codes import CODE_LENGTH, new_code, normalize_code
from ..config import DEFAULT_LANGUAGE
from ..contests import age_on, category_for_age
from ..errors import RuleError
from ..extensions import db
from ..models import Consent, Contest, Entry, EntryStatus, Phase, Stage, StageKind, utcnow
from ..transaction import files_with_rows
from ..uploads.files import entry_files
from ..uploads.pipeline import ProcessedImage

TITLE_LENGTH = 200  # the column's length, Russian and English title alike
DUPLICATE_IMAGE = _l("This very image has already been sent to the contest.")


class EntryError(RuleError):
    """The entry breaks a contest rule. ``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, object]):
        super().__init__(errors=errors)


@dataclass
class EntryDetails:
    """What a family or a school tells us about one drawing."""

    region_id: int
    town: str
    child_first_name: str
    child_last_name: str
    title: str
    guardian_name: str
    title_en: str = ""
    birth_date: date | None = None
    age: int | None = None
    institution: str = ""
    teacher: str = ""
    description: str = ""
    guardian_email: str = ""
    guardian_phone: str = ""
    consents: dict[str, bool] = field(default_factory=dict)
    locale: str = DEFAULT_LANGUAGE  # the language to write to the family in
    submission_key: str | None = None  # the form's one-time key (``family.new_submission_key``)
    batch_key: str | None = None  # the batch form's one-time key, the same for the batch


# --- codes ---------------------------------------------------------------------------------


def sent_with_key(key: str | None) -> Entry | None:
    """The entry a submission form with this one-time key stored, if any."""
    if not key:
        return None
    return db.session.scalar(select(Entry).where(Entry.submission_key == key))


def sent_in_batch(key: str | None) -> list[Entry]:
    """The entries a school's batch form with this one-time key stored, by number; empty if
    none."""
    if not key:
        return []
    return list(db.session.scalars(select(Entry).where(Entry.batch_key == key)
                                   .order_by(Entry.id)))


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
    """Entries of the contest, not rejected or withdrawn, by the child with this ``_child``
    key."""
    region_id, *_, age = key
    query = select(Entry).join(Stage).where(
        Entry.contest_id == contest.id, Stage.region_id == region_id, Entry.age == age,
        Entry.status.not_in((EntryStatus.REJECTED, EntryStatus.WITHDRAWN)))
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
    category = category_for_age(contest, age)  # none for a negative age (a batch may hold one)
    if category is None and not errors.keys() & {"age", "birth_date"}:
        bands = ", ".join(f"{c.min_age}–{c.max_age}" for c in contest.age_categories)
        errors["birth_date" if details.birth_date else "age"] = _l(
            "The contest is for children aged %(bands)s on %(date)s; this child would be "
            "%(age)s.", bands=bands, date=contest.age_reference_date.strftime("%d.%m.%Y"),
            age=lazy_ngettext("%(num)s year", "%(num)s years", age))
    for name in ("title", "title_en"):  # a school's list has no form to cap them
        if len(getattr(details, name)) > TITLE_LENGTH:
            errors[name] = _l("A title of at most %(n)s characters, please.", n=TITLE_LENGTH)
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


def _new_image_key(contest: Contest) -> str:
    """A new drawing's folder in storage: a random name, never the tracking code, so that no
    file name, backup listing or log of the storage can open the family's status page."""
    name = secrets.token_hex(8)
    return f"entries/{contest.year}/{name[:2]}/{name}"


def _new_entry(contest: Contest, details: EntryDetails, image: ProcessedImage, age: int,
               stage: Stage, category_id: int, via: str) -> Entry:
    code = new_code()
    entry = Entry(
        code=code, contest_id=contest.id, stage_id=stage.id, age_category_id=category_id,
        child_first_name=details.child_first_name.strip(),
        child_last_name=details.child_last_name.strip(), birth_date=details.birth_date, age=age,
        town=details.town.strip(), institution=details.institution.strip(),
        teacher=details.teacher.strip(), title=details.title.strip(),
        title_en=details.title_en.strip(),
        description=details.description.strip(), guardian_name=details.guardian_name.strip(),
        locale=details.locale,
        guardian_email=details.guardian_email.strip().lower(),
        guardian_phone=details.guardian_phone.strip(),
        image_key=_new_image_key(contest), image_sha256=image.sha256,
        image_format=image.format, image_bytes=image.original_bytes, width=image.width,
        height=image.height, effective_dpi=image.effective_dpi, submitted_via=via,
        submission_key=details.submission_key, batch_key=details.batch_key,
    )
    now = utcnow()
    entry.consents = [Consent(kind=c.kind, version=c.version, at=now,
                              granted=bool(details.consents.get(c.kind)))
                      for c in consents.ALL]
    return entry


def submit(contest: Contest, details: EntryDetails, image: ProcessedImage,
           via: str = "form") -> Entry:
    """Check and store one entry with its files, and send the family its receipt; commits.
    Raises EntryError."""
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
    """Store all entries with their files, or none of them (a school's batch); commits. Each
    family is sent its receipt (it leaves when the request commits).

    Raises EntryError with the first item's problems (``index`` set on the error).
    """
    if not submissions_open(contest):
        raise EntryError({"": _l("Submissions to this contest are closed.")})
    stored = store_many(contest, items, via)
    for entry in stored:
        notifications.submitted(entry)
    return stored


def store_many(contest: Contest, items: list[tuple[EntryDetails, ProcessedImage]],
               via: str) -> list[Entry]:
    """``submit_many`` without the submission window and without receipts: for archives and the
    demo's past year."""
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
    # One image's files at a time: a batch's images may wait on disk (uploads.SpooledImage).
    files = (pair for entry, (_, image) in zip(entries, items, strict=True)
             for pair in entry_files(entry.image_key, image).items())
    try:
        with files_with_rows(files):  # the files and the rows: both or neither
            db.session.add_all(entries)
            db.session.flush()
            for entry in entries:
                audit.record("entry.submit", entry, via=via)
    except IntegrityError as e:
        # Two identical uploads raced each other (or one form was sent twice at once: the
        # caller finds the first by its key); the unique index kept one.
        raise EntryError({"image": DUPLICATE_IMAGE}) from e
    return entries

