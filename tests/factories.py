"""Test data factories. Passwords are hashed once per run, not per test."""

import io
import random
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from contest import entries, regions
from contest.entries import EntryDetails
from contest.extensions import db
from contest.models import (
    AgeCategory,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Phase,
    Region,
    Role,
    Stage,
    StageKind,
    User,
)
from contest.uploads.pipeline import process_image

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    # Few rounds: every sign-in of the suite checks this hash (the app's own stay scrypt).
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class Factory:
    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def regions(self) -> list[Region]:
        if not db.session.scalar(select(Region.id).limit(1)):
            regions.sync()
            db.session.commit()
        return list(db.session.scalars(select(Region).order_by(Region.code)))

    def region(self, code: str = "RU-MOW") -> Region:
        self.regions()
        return db.session.scalar(select(Region).where(Region.code == code))

    def contest(self, year: int = 2026, phase: Phase = Phase.DRAFT, complete: bool = True,
                region_codes=("RU-MOW", "RU-SPE", "RU-TA"), **fields) -> Contest:
        """A contest; ``complete`` adds categories, criteria and regions as the rules need."""
        # Dates around today, so that a contest with open submissions takes entries now.
        today = date.today()
        values = dict(
            year=year, title_ru=f"Крепкие кости {year}", title_en=f"Strong bones {year}",
            theme_ru="Кальций и солнце", theme_en="Calcium and sunshine",
            motto_ru="Кости крепкие — с детства", motto_en="Strong bones from childhood",
            rules_ru="**Правила** конкурса", rules_en="Contest **rules**",
            submissions_open_on=today - timedelta(days=30),
            submissions_close_on=today + timedelta(days=30),
            regional_judging_until=today + timedelta(days=60),
            national_judging_until=today + timedelta(days=90),
            results_on=today + timedelta(days=100), age_reference_date=today,
        )
        values.update(fields)
        contest = Contest(phase=phase, **values)
        contest.stages.append(Stage(kind=StageKind.NATIONAL))
        if complete:
            contest.age_categories = [
                AgeCategory(name_ru="Малыши", name_en="Little ones", min_age=4, max_age=7),
                AgeCategory(name_ru="Школьники", name_en="Pupils", min_age=8, max_age=11),
                AgeCategory(name_ru="Подростки", name_en="Teenagers", min_age=12, max_age=17),
            ]
            contest.criteria = [
                Criterion(name_ru="Раскрытие темы", name_en="Theme", weight=Decimal(2), position=0),
                Criterion(name_ru="Композиция", name_en="Composition", weight=Decimal(1), position=1),
                Criterion(name_ru="Цвет", name_en="Colour", weight=Decimal(1), position=2),
            ]
            for code in region_codes:
                contest.stages.append(Stage(kind=StageKind.REGIONAL, region=self.region(code)))
        db.session.add(contest)
        db.session.commit()
        return contest

    def stage(self, contest: Contest, code: str = "RU-MOW") -> Stage:
        return next(s for s in contest.stages if s.region and s.region.code == code)

    def user(self, role: Role = Role.ORGANIZER, region: Region | None = None,
             stage: Stage | None = None, **fields) -> User:
        n = self._next()
        if role is Role.COORDINATOR and region is None:
            region = self.region()
        user = User(email=fields.pop("email", f"user{n}@example.org"),
                    name=fields.pop("name", f"{role.value.title()} {n}"), role=role,
                    region=region, password_hash=_password_hash(), **fields)
        if stage is not None:
            user.juror_stages.append(stage)
        db.session.add(user)
        db.session.commit()
        return user

    def details(self, region: Region | None = None, **fields) -> EntryDetails:
        n = self._next()
        values = dict(region_id=(region or self.region()).id, town="Казань",
                      child_first_name=f"Маша{n}", child_last_name="Иванова", age=9,
                      title=f"Молоко и солнце {n}", guardian_name="Иванова Анна",
                      guardian_email=f"parent{n}@example.org",
                      consents={"personal_data": True, "show_name": True, "print": True})
        values.update(fields)
        return EntryDetails(**values)

    def entry(self, contest: Contest, region_code: str = "RU-MOW",
              status: EntryStatus = EntryStatus.RECEIVED, size=(1200, 900), **fields) -> Entry:
        """An entry stored through the real pipeline and rules, with its files (no receipt
        mailed: a test about mail sends its own)."""
        details = self.details(self.region(region_code), **fields)
        entry = entries.store_many(contest, [(details, process_image(
            jpeg(size, seed=self._next())))], via="form")[0]
        if status is not EntryStatus.RECEIVED:
            entry.status = status
            db.session.commit()
        return entry


def jpeg(size=(1200, 900), seed: int = 0, **save) -> bytes:
    """A small, unique, drawing-like JPEG."""
    rnd = random.Random(seed)
    im = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        r = rnd.randrange(20, max(21, size[0] // 5))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def judging_stage(make: Factory, entries: int = 3, jurors: int = 3, region_code: str = "RU-MOW",
                  open_judging: bool = True, **contest_fields):
    """A contest in regional judging with one region's accepted entries and its jurors;
    returns (contest, stage, entries, jurors), the stage opened for judging unless asked not.
    ``contest=`` takes an edition still open for drawings (with entries of its own) instead."""
    from contest.judging import operations
    from contest.models import StageStatus

    contest = contest_fields.pop("contest", None) or make.contest(
        phase=Phase.SUBMISSIONS_OPEN, **contest_fields)
    made = [make.entry(contest, region_code, status=EntryStatus.ACCEPTED)
            for _ in range(entries)]
    contest.phase = Phase.REGIONAL_JUDGING
    stage = make.stage(contest, region_code)
    people = [make.user(Role.JUROR, stage=stage, name=f"Juror {region_code} {n}")
              for n in range(jurors)]
    if open_judging:
        operations.change_status(stage, StageStatus.JUDGING_OPEN)
    db.session.commit()
    return contest, stage, made, people


def score(stage: Stage, juror: User, entry: Entry, *marks: int, comment: str = ""):
    """Save a juror's sheet: one mark per criterion, in the criteria's order."""
    from contest.judging import operations

    criteria = stage.contest.criteria
    sheet = operations.save_sheet(stage, juror, entry,
                                  {c.id: m for c, m in zip(criteria, marks, strict=True)}, comment)
    db.session.commit()
    return sheet
