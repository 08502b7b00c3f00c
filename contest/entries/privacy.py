"""Children's data: what public pages may show of an entry, and a family's rights over what is
stored about their child (a copy of it, its erasure, contacts deleted after the contest).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from flask_babel import ngettext
from sqlalchemy import func, select

from .. import audit, jobs, transaction
from ..extensions import db
from ..judging import operations as judging
from ..models import (
    CalendarExport,
    CalendarSlot,
    Contest,
    Entry,
    Job,
    JobStatus,
    Message,
    MessageStatus,
    utcnow,
)
from ..uploads.files import storage
from .images import delete_files


def drawing_shown_publicly(entry: Entry) -> bool:
    """Whether public pages (results, gallery) may show the drawing: printing consented, the
    child's data not erased. Who is on those pages at all is the jury's published results."""
    return entry.consent("print") and not entry.personal_data_erased_at


def name_shown(entry: Entry) -> bool:
    """Whether the child's first name may appear next to the drawing (a caption on a page, in
    the calendar): the family agreed and the data is not erased. No one can override it."""
    return entry.consent("show_name") and not entry.personal_data_erased_at


def caption(entry: Entry) -> str:
    """The public caption: first name only with consent; age and town always."""
    age = ngettext("%(num)s year", "%(num)s years", entry.age)
    parts = [entry.child_first_name] if name_shown(entry) else []
    return ", ".join([*parts, age, entry.town])

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


ERASED_BY = ("staff", "family")  # who asked: an organizer, or the family themselves


def erase_personal_data(entry: Entry, *, by: str = "staff") -> dict[str, int | list[int]]:
    """Erase a child's data everywhere it is kept, on request (``by`` whom: ``ERASED_BY``).
    Commits, then deletes the files.

    - the entry's personal fields, and what people wrote about it in the log and the jury's
      notes;
    - its drawing: every stored file of it (original, print master, previews, thumbnails and
      the masked copies), so no route can serve it, whatever the browser cached before:
      the public thumbnail is revalidated on every use (``judging.routes.public_thumb``);
    - its place on any calendar being assembled (the page is left empty);
    - the mail sent to the guardian, once no other child of theirs is entered
      (``_forget_mail``);
    - every result that holds the child's name or drawing: certificate batches (ZIPs) and
      calendar exports (PDF, preflight, previews) are withdrawn: their files are deleted, their
      downloads answer 410, and the export history says they need a rebuild. A job still
      running when the erasure happens fails instead of publishing (``jobs.run``); what
      slips through in the moment between is withdrawn within the hour
      (``withdraw_after_erasures``).

    What is made on request (a family's certificate, the results, the report and its
    spreadsheets) reads the erased row, so it holds nothing any more. The entry row stays,
    anonymous (age, town, category, scores), so that rankings already made and the year's
    statistics do not change. Returns what was withdrawn (as the audit row lists it:
    ``calendar_pages``, ``exports_withdrawn``, ``jobs_withdrawn``, ``messages``; only those
    that were any).
    """
    if by not in ERASED_BY:
        raise ValueError(f"erasure by {by!r}: one of {ERASED_BY}")
    now = utcnow()
    address = entry.guardian_email
    for name in PERSONAL_FIELDS:
        setattr(entry, name, None if name == "birth_date" else "")
    entry.status_reason = entry.moderation_note = ""
    entry.personal_data_erased_at = entry.contacts_purged_at = now
    audit.forget_texts(entry)
    judging.forget_texts(entry)
    withdrawal = _withdraw(entry, now)
    withdrawal.messages = _forget_mail(address, now)
    audit.record("entry.erase_personal_data", entry, by=by, **withdrawal.details())
    transaction.commit_then(partial(delete_files, entry.image_key),
                            partial(withdrawal.delete_files, entry))
    return withdrawal.details()


@dataclass
class _Withdrawal:
    """What was taken away because it holds an erased child, and the files to delete once
    that is committed."""

    pages: int = 0
    exports: list[int] = field(default_factory=list)
    jobs: list[int] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    messages: int = 0

    def __bool__(self) -> bool:
        return bool(self.pages or self.exports or self.jobs)

    def details(self) -> dict:
        return {key: value for key, value in (
            ("calendar_pages", self.pages), ("exports_withdrawn", self.exports),
            ("jobs_withdrawn", self.jobs), ("messages", self.messages)) if value}

    def delete_files(self, entry: Entry) -> None:
        store = storage()
        for prefix in dict.fromkeys([entry.image_key, *self.prefixes]):
            store.delete_prefix(prefix)
        for key in self.keys:
            store.delete(key)


def _withdraw(entry: Entry, now: datetime) -> _Withdrawal:
    """Empty the calendar pages that show ``entry`` and withdraw the results holding it."""
    done = _Withdrawal(pages=_off_the_calendars(entry))
    erased = entry.personal_data_erased_at
    exports = _exports_holding(entry, erased)
    for export in exports:
        export.withdrawn_at = now
        done.exports.append(export.id)
        done.prefixes.append(export.pdf_key.rsplit("/", 1)[0])
    for job in _jobs_holding(entry, erased, {e.job_id for e in exports}):
        job.withdrawn_at = now
        done.jobs.append(job.id)
        done.prefixes.append(jobs.output_prefix(job))
        done.keys.append(job.result_key)
    return done


def _forget_mail(address: str, now: datetime) -> int:
    """The mail sent to a guardian whose children's data are all erased: its record no longer
    names the address, and what it still holds (a failed message's text, with the child's
    name; its attachment) is erased. Messages still to be sent (a confirmation of this very
    erasure) leave first; they are erased once sent, as every message is. How many."""
    address = address.strip().lower()
    if not address or db.session.scalar(select(Entry.id).where(
            func.lower(Entry.guardian_email) == address,
            Entry.personal_data_erased_at.is_(None)).limit(1)) is not None:
        return 0
    sent = list(db.session.scalars(select(Message).where(
        func.lower(Message.recipient) == address,
        Message.status.in_((MessageStatus.SENT, MessageStatus.FAILED)))))
    for message in sent:
        if message.attachment_key:
            storage().delete_prefix(f"mail/{message.id}")
        message.recipient = message.subject = message.body_text = message.body_html = ""
        message.attachment_key = message.attachment_name = ""
        message.content_erased_at = message.content_erased_at or now
    return len(sent)


def withdraw_after_erasures(now: datetime) -> int:
    """What an erasure may have missed, put right: a result published in the moment of an
    erasure (a job that checked before the erasure was committed, and finished after the
    erasure looked), a drawing's file whose deletion failed, data from before erasures reached
    every artefact. For every erased entry, its files are deleted again and whatever still
    holds it is withdrawn as by ``erase_personal_data``. Returns how many entries had
    something withdrawn; each is audit-logged. Commits."""
    count = 0
    for entry in db.session.scalars(select(Entry).where(
            Entry.personal_data_erased_at.is_not(None)).order_by(Entry.id)).all():
        withdrawal = _withdraw(entry, now)
        if withdrawal:
            audit.record("entry.withdraw_after_erasure", entry, **withdrawal.details())
            count += 1
        transaction.commit_then(partial(withdrawal.delete_files, entry))
    return count


@jobs.periodic("withdraw-erased", minute="7")
def scheduled_withdrawal(now: datetime) -> str:
    """Every hour: what erasures missed (``withdraw_after_erasures``)."""
    count = withdraw_after_erasures(now)
    return f"{count} erased entries had results withdrawn" if count else "nothing to withdraw"


def _off_the_calendars(entry: Entry) -> int:
    """Leave empty the calendar pages (any region's) that show ``entry``; how many."""
    pages = list(db.session.scalars(select(CalendarSlot).where(CalendarSlot.entry_id == entry.id)))
    for page in pages:
        page.entry_id = None
    return len(pages)


def _exports_holding(entry: Entry, erased: datetime) -> list[CalendarExport]:
    """The calendar exports not yet withdrawn that print ``entry``: those whose list names it;
    of older ones without a list and made before the erasure, those whose preflight names its
    drawing, or names none."""
    found = []
    for export in db.session.scalars(select(CalendarExport).where(
            CalendarExport.contest_id == entry.contest_id, CalendarExport.withdrawn_at.is_(None))):
        ids = export.entry_ids
        if ids is None:
            if export.created_at > erased:
                continue
            ids = _preflight_entries(export.report)
        if ids is None or entry.id in ids:
            found.append(export)
    return found


def _preflight_entries(report: dict) -> set[int] | None:
    """The entries whose drawings a preflight report lists (``entry-<id>.jpg``); None if it
    lists no drawing at all (then it cannot tell)."""
    sources = [image.get("source", "") for page in (report or {}).get("pages", [])
               for image in page.get("images", [])]
    ids = {int(m[1]) for m in map(_DRAWING_SOURCE.fullmatch, sources) if m}
    return ids or None


_DRAWING_SOURCE = re.compile(r"entry-(\d+)\.jpg")


def _jobs_holding(entry: Entry, erased: datetime, export_jobs: set[int | None]) -> list[Job]:
    """The finished jobs not yet withdrawn whose result holds ``entry``: by their list, or,
    for older ones without a list, any of the contest's made before the erasure (a
    calendar's: as its export)."""
    found = []
    for job in db.session.scalars(select(Job).where(
            Job.contest_id == entry.contest_id, Job.status == JobStatus.DONE,
            Job.withdrawn_at.is_(None), Job.result_key != "")):
        if job.id in export_jobs:
            found.append(job)
        elif job.entry_ids is not None:
            if entry.id in job.entry_ids:
                found.append(job)
        elif job.created_at <= erased and not (job.kind == "calendar" and _has_export(job)):
            found.append(job)
    return found


def _has_export(job: Job) -> bool:
    return db.session.scalar(select(CalendarExport.id).where(
        CalendarExport.job_id == job.id).limit(1)) is not None


def contacts_kept(entry: Entry) -> bool:
    """Whose contacts outlive the contest: the finalists' and winners' families, who are
    contacted about the awards."""
    return entry.public_status.key in ("finalist", "winner")


def purge_contacts(contest: Contest, keep_entry_ids: set[int] | None = None, *,
                   scheduled: bool = False) -> int:
    """Delete guardians' contacts except for ``keep_entry_ids`` (by default the families
    ``contacts_kept`` keeps). ``scheduled``: by the retention schedule, not a person.

    Returns how many entries were purged; audit-logged. Flushes.
    """
    purged = 0
    addresses = set()
    for entry in db.session.scalars(select(Entry).where(
            Entry.contest_id == contest.id, Entry.contacts_purged_at.is_(None))):
        kept = entry.id in keep_entry_ids if keep_entry_ids is not None else contacts_kept(entry)
        if kept:
            continue
        addresses.add(entry.guardian_email)
        for name in CONTACT_FIELDS:
            setattr(entry, name, "")
        entry.contacts_purged_at = utcnow()
        purged += 1
    db.session.flush()
    for address in addresses - {""}:  # the messages' log forgets them too
        _forget_mail(address, utcnow())
    audit.record("contest.purge_contacts", contest, entries=purged,
                 **({"scheduled": True} if scheduled else {}))
    db.session.flush()
    return purged


def contacts_purged_on(contest: Contest) -> date | None:
    """The day the contacts of families whose child won nothing are deleted: the contest's
    ``contacts_kept_months`` after its national results were published; None before."""
    national = contest.national_stage
    published = judging.published_at(national) if national else None
    if published is None:
        return None
    return add_months(published.date(), contest.contacts_kept_months)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def purge_due_contacts(now: datetime) -> dict[int, int]:
    """The retention schedule: in every edition whose keeping period has ended by ``now``
    (``contacts_purged_on``), delete the contacts that are not kept. Returns {year: entries
    purged} of the editions that had any left; each purge is audit-logged. Flushes (the
    periodic task commits)."""
    done = {}
    for contest in db.session.scalars(select(Contest).order_by(Contest.year)):
        due = contacts_purged_on(contest)
        if due is None or due > now.date():
            continue
        waiting = db.session.scalars(select(Entry).where(
            Entry.contest_id == contest.id, Entry.contacts_purged_at.is_(None)))
        if any(not contacts_kept(e) for e in waiting):
            done[contest.year] = purge_contacts(contest, scheduled=True)
    return done


@jobs.periodic("purge-contacts", hour="3", minute="17")
def scheduled_purge(now: datetime) -> str:
    """Every night: the contacts whose keeping period ended (``purge_due_contacts``)."""
    done = purge_due_contacts(now)
    return ", ".join(f"{year}: {n} entries" for year, n in done.items()) or "nothing due"
