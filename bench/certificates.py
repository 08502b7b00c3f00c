"""A certificate batch for 3,000 entries, run by the background job worker.

Prints the job's wall time, pages per second, the ZIP's size and the process's peak memory.
Run from the repository root: ``.venv/bin/python -m bench.certificates [--entries 3000]``.
"""

import argparse
import io
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from calendar_builder.samples import make_drawing
from contest import create_app, jobs, regions
from contest.extensions import db
from contest.models import (
    AgeCategory,
    Consent,
    Contest,
    Entry,
    EntryStatus,
    JobStatus,
    Phase,
    Region,
    Stage,
    StageKind,
)
from contest.uploads import files
from contest.uploads.storage import FileSystemStorage


def preview(seed: int) -> bytes:
    """A drawing as the upload pipeline stores its web preview: 1,600 px, JPEG."""
    out = io.BytesIO()
    make_drawing(seed, (1600, 1131)).save(out, "JPEG", quality=85)
    return out.getvalue()


def fill(contest: Contest, count: int, store: FileSystemStorage) -> None:
    """Entries straight into the database (the upload pipeline is measured elsewhere)."""
    stages = contest.regional_stages
    categories = contest.age_categories
    previews = [preview(n) for n in range(20)]
    for n in range(count):
        code = f"B{n:09d}"
        entry = Entry(
            code=code, contest_id=contest.id, stage_id=stages[n % len(stages)].id,
            age_category_id=categories[n % len(categories)].id, status=EntryStatus.ACCEPTED,
            child_first_name=f"Имя{n}", child_last_name="Фамилия", age=6 + n % 9, town="Город",
            institution=f"Школа № {n % 100}", title=f"Рисунок {n}", guardian_name="Родитель",
            image_key=f"bench/{code}", image_sha256=f"{n:064d}", image_format="JPEG",
            image_bytes=1, width=1600, height=1131, effective_dpi=60)
        entry.consents = [Consent(kind="show_name", version="1", granted=True)]
        db.session.add(entry)
        store.put(f"bench/{code}/preview.jpg", previews[n % len(previews)])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=3000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/b.db",
                      "UPLOAD_FOLDER": str(work / "uploads"), "JOBS_URL": str(work / "jobs.db")})
    with app.app_context():
        db.create_all()
        regions.sync()
        today = date.today()
        contest = Contest(year=today.year, title_ru="Бенчмарк", theme_ru="Тема", phase=Phase.CLOSED,
                          submissions_open_on=today, submissions_close_on=today + timedelta(1),
                          regional_judging_until=today + timedelta(2),
                          national_judging_until=today + timedelta(3),
                          results_on=today + timedelta(4), age_reference_date=today)
        contest.age_categories = [AgeCategory(name_ru=f"{a}–{a + 2}", min_age=a, max_age=a + 2)
                                  for a in (6, 9, 12)]
        for region in db.session.scalars(db.select(Region).limit(5)):
            contest.stages.append(Stage(kind=StageKind.REGIONAL, region=region))
        db.session.add(contest)
        db.session.commit()
        fill(contest, args.entries, files.storage())
        job = jobs.start("certificates", None, contest.id, language="ru")
        huey = app.extensions["huey"]
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        consumer.start()  # the worker threads, as `flask jobs worker` runs them
        while True:
            time.sleep(0.2)
            db.session.expire_all()
            job = db.session.get(type(job), job.id)
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                break
        seconds = time.perf_counter() - started
        consumer.stop(graceful=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = files.storage().size(job.result_key) if job.result_key else 0
        print(f"certificates: {args.entries} entries, job {job.status.value}"
              f"{' (' + job.error + ')' if job.error else ''}")
        print(f"  wall time        {seconds:8.1f} s  ({args.entries / seconds:.0f} pages/s)")
        print(f"  ZIP size         {size / 1e6:8.1f} MB")
        print(f"  peak memory      {peak / 1024:8.0f} MB (before the job: {before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
