"""Exporting the calendar: the rules checked and overrides logged, the background job that
builds the PDF with its preflight and previews, and the kept versions."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from calendar_builder import OUTPUT_KINDS, Output, build_calendar, output_for, render_previews

from .. import audit, jobs
from ..errors import RuleError
from ..extensions import db
from ..models import CalendarExport, Contest, Job, Region
from ..uploads import files
from .board import id_of, printed_entries
from .bridge import calendar_year, to_spec
from .options import Options, options_from, options_params
from .rules import RuleCheck, check, failing


def start_export(contest: Contest, region: Region | None, options: Options,
                 overrides: dict[str, str], user_id: int | None, back: str = "",
                 checks: list[RuleCheck] | None = None) -> Job:
    """Check the rules and queue the export; overridden rules are logged with their reasons.

    ``checks``: the rules as ``check`` found them earlier in the same request, so the
    calendar is not laid out again.
    """
    if checks is None:
        checks = check(contest, region, options)
    if failing(checks, overrides):
        raise RuleError(_l("Fix the calendar's rules first, or give a reason to override each "
                           "one that may be overridden."))
    failed = [c for c in checks if not c.ok]
    for c in failed:  # the message as its msgid: each reader of the log gets it in their words
        audit.record("calendar.override", contest, region=id_of(region), rule=c.key,
                     message=c.message, reason=overrides[c.key].strip())
    used = [{"rule": c.key, "message": str(c.message), "reason": overrides[c.key].strip()}
            for c in failed]
    # jobs.start commits the overrides' log together with the job, which the worker must see
    return jobs.start("calendar", user_id, contest.id, region_id=id_of(region),
                      options=options_params(options), overrides=used, back=back)


@jobs.handler("calendar")
def export_job(job: Job, progress: Callable[[int, int, str], None]) -> tuple[str, str]:
    """Build the PDF, its preflight report and page previews, and keep them as a version."""
    contest = db.session.get(Contest, job.contest_id)
    region_id = job.params.get("region_id")
    region = db.session.get(Region, region_id) if region_id else None
    options = options_from(job.params)
    version = 1 + (db.session.scalar(select(func.max(CalendarExport.version)).where(
        CalendarExport.contest_id == contest.id, CalendarExport.region_id.is_(None)
        if region is None else CalendarExport.region_id == region.id)) or 0)
    name = (f"calendar-{calendar_year(contest)}-{region.code if region else 'national'}"
            f"-v{version}-{options.language}-{options.page_format}-{options.orientation}"
            f"-{options.output}")
    store = files.storage()
    # The job's own folder: a try that dies leaves nothing the next one does not replace.
    prefix = jobs.output_prefix(job)
    work = jobs.workdir(job)
    (work / "drawings").mkdir()
    confirmed = any(o["rule"] == "days_off" for o in job.params.get("overrides", []))
    spec = to_spec(contest, region, options, link_into=work / "drawings",
                   holidays_confirmed=confirmed)
    pdf = work / f"{name}.pdf"
    built = build_calendar(spec, pdf, progress=lambda d, t, _m: progress(
        d, t + 2, _("Building the calendar: step %(done)s of %(total)s", done=d, total=t)),
        output=print_output(options.output))
    report = dataclasses.replace(built, output=pdf.name)
    preflight = report.to_dict()
    for image in (i for page in preflight["pages"] for i in page["images"]):
        image["source"] = Path(image["source"]).name  # entry-<id>.jpg, not our folders
    progress(1, 1, _("Page previews for the site"))
    previews = render_previews(pdf, work / "previews", dpi=40)  # soft proofs for CMYK
    with pdf.open("rb") as source, store.writer(f"{prefix}/{name}.pdf") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    store.put(f"{prefix}/preflight.json",
              json.dumps(preflight, ensure_ascii=False, indent=1).encode())
    store.put(f"{prefix}/preflight.txt", report.to_text().encode())
    preview_keys = []
    for n, path in enumerate(previews, start=1):
        key = f"{prefix}/page-{n:02d}.png"
        store.put(key, path.read_bytes())
        preview_keys.append(key)
    job.entry_ids = printed_entries(contest, region)
    db.session.add(CalendarExport(
        contest_id=contest.id, region_id=id_of(region), version=version, job_id=job.id,
        entry_ids=job.entry_ids,
        language=options.language, page_format=options.page_format,
        options=options_params(options), output=options.output,
        pdf_key=f"{prefix}/{name}.pdf",
        report=preflight, preview_keys=preview_keys,
        overrides=job.params.get("overrides", []), user_id=job.user_id))
    return f"{prefix}/{name}.pdf", f"{name}.pdf"


# The export history's short names of the files (the form says what each is for).
OUTPUT_NAMES = {"rgb": "RGB", "pdfx4": "PDF/X-4", "coated": _l("PDF/X-1a, coated paper"),
                "uncoated": _l("PDF/X-1a, uncoated paper")}


def print_output(kind: str) -> Output:
    """The calendar file for ``kind`` (OUTPUT_KINDS), with the printer's own profile and ink
    limit for that paper when the installation sets them (CALENDAR_PRINTER_PROFILES,
    CALENDAR_INK_LIMITS)."""
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"unknown calendar output {kind!r}")
    profile = current_app.config["CALENDAR_PRINTER_PROFILES"].get(kind)
    return output_for(kind, Path(profile) if profile else None,
                      current_app.config["CALENDAR_INK_LIMITS"].get(kind))


EXPORT_FILES = ("preflight.json", "preflight.txt")


def export_file_key(export: CalendarExport, name: str) -> str | None:
    """The storage key of one of an export's files by its name, if it has such a file."""
    prefix, pdf_name = export.pdf_key.rsplit("/", 1)
    names = {pdf_name, *EXPORT_FILES, *(k.rsplit("/", 1)[1] for k in export.preview_keys)}
    return f"{prefix}/{name}" if name in names else None


def history(contest: Contest, region: Region | None) -> list[CalendarExport]:
    return list(db.session.scalars(select(CalendarExport).where(
        CalendarExport.contest_id == contest.id,
        CalendarExport.region_id.is_(None) if region is None
        else CalendarExport.region_id == region.id).order_by(CalendarExport.version.desc())))

