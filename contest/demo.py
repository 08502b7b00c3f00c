"""A living demo contest: what ``make run`` shows a newcomer on an empty database.

Everything is made up: people, schools and drawings (painted by the calendar library's
``make_drawing`` at print resolution). Demo accounts end in ``@demo.example`` and share one
password.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import click
from sqlalchemy import select

from calendar_builder import make_drawing

from . import accounts, entries, facts, regions
from .contests import change_phase, create_contest
from .entries import EntryDetails
from .extensions import db
from .judging import operations as judging
from .models import (
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
    StageStatus,
)
from .uploads.pipeline import ProcessedImage, process_image

PASSWORD = accounts.DEMO_PASSWORD
A4_300DPI = (3508, 2480)

REGIONS = {  # code: (short name for e-mails, towns)
    "RU-MOW": ("mow", ["Москва", "Зеленоград", "Троицк"]),
    "RU-SPE": ("spe", ["Санкт-Петербург", "Колпино", "Пушкин"]),
    "RU-TA": ("ta", ["Казань", "Набережные Челны", "Елабуга", "Альметьевск"]),
    "RU-SVE": ("sve", ["Екатеринбург", "Нижний Тагил", "Каменск-Уральский"]),
    "RU-NVS": ("nvs", ["Новосибирск", "Бердск", "Искитим"]),
}
GIRLS = ["Алиса", "Анна", "Варвара", "Вероника", "Дарья", "Ева", "Злата", "Камила", "Ксения",
         "Мария", "Милана", "Полина", "София", "Таисия", "Ульяна", "Элина"]
BOYS = ["Артём", "Богдан", "Глеб", "Даниил", "Егор", "Иван", "Кирилл", "Лев", "Марк", "Матвей",
        "Миша", "Никита", "Роман", "Тимур", "Фёдор", "Ярослав"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков",
            "Морозов", "Волков", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов",
            "Гарипов", "Хабибуллин", "Сафин"]
TITLES = ["Молоко для крепких костей", "Солнце и витамин D", "Мы любим спорт!",
          "Зарядка всей семьёй",
          "Кальций — друг костей", "Крепкий скелет", "Бабушка, не падай!", "Прогулка на солнышке",
          "Футбол во дворе", "Лыжи в воскресенье", "Танцуем!", "Творог на завтрак",
          "Сильные кости — счастливое детство", "Плавать полезно", "Велосипед", "Сыр и молоко",
          "Мама и я на зарядке", "Дедушка катается на лыжах", "Рыбка для костей",
          "Прыгаем через скакалку"]
INSTITUTIONS = ["Детский сад № 12 «Солнышко»", "Школа № 5", "Гимназия № 2", "Лицей № 131",
                "Детская художественная школа № 1", "Студия «Радуга»", "Школа № 44", ""]
# The coordinators' decisions a demo drawing may have had (families withdraw none).
DEMO_STATUSES = [EntryStatus.RECEIVED, EntryStatus.ACCEPTED, EntryStatus.NEEDS_PHOTO,
                 EntryStatus.REJECTED]
# (name, a mother?): the guardian's surname takes the parent's gender, not the child's
PARENTS = [("Анна", True), ("Елена", True), ("Ольга", True), ("Ирина", True),
           ("Сергей", False), ("Алексей", False)]
REJECTIONS = ["Рисунок скопирован из интернета.", "Работа не соответствует теме конкурса."]
PHOTO_REQUESTS = ["На фотографии блик от вспышки, рисунок плохо виден. Сфотографируйте, "
                  "пожалуйста, при дневном свете.",
                  "Рисунок сфотографирован под углом и обрезан. Нужен весь лист целиком."]

RULES_RU = """\
Конкурс детского рисунка проводится, чтобы дети и их семьи узнали, как сохранить кости
крепкими на всю жизнь: **движение, кальций, витамин D и солнце**.

**Кто участвует:** дети от 5 до 15 лет из регионов-участников.

**Какие работы принимаются**
- рисунок на листе формата А4 или А3, любая техника: карандаш, фломастеры, гуашь, акварель;
- одна работа от одного ребёнка;
- фотография или скан всего листа, без рамок и фильтров.

**Как оцениваются работы:** региональное жюри отбирает лучшие рисунки в каждой возрастной
категории, федеральное жюри выбирает победителей. Рисунки победителей украсят настенный
календарь общества на следующий год.
"""
RULES_EN = """\
The children's drawing contest helps children and their families learn how to keep bones
strong for life: **exercise, calcium, vitamin D and sunshine**.

**Who can take part:** children aged 5 to 15 from the participating regions.

**What we accept**
- a drawing on an A4 or A3 sheet, in any technique: pencil, felt-tip pens, gouache, watercolour;
- one drawing per child;
- a photo or a scan of the whole sheet, without frames or filters.

**Judging:** regional juries choose the best drawings in each age category, and the national
jury chooses the winners. The winners' drawings will illustrate the society's wall calendar
for the coming year.
"""


def has_data() -> bool:
    return db.session.scalar(select(Contest.id).limit(1)) is not None


def load(entries_count: int = 100, echo: Callable[[str], None] = print,
         seed: int = 2026, workers: int = 2, drawing_size: tuple[int, int] = A4_300DPI,
         judged_per_region: int = 10) -> Contest:
    """Create the demo: this year's edition judged and in its calendar phase (its winners
    illustrate next year's calendar), next year's edition open with ``entries_count``
    entries, and everyone who works on them. Returns the open edition.

    Drawings are A4 at 300 dpi unless ``drawing_size`` says otherwise (tests stay fast).
    """
    rnd = random.Random(seed)
    regions.sync()
    facts.seed()
    by_code = {r.code: r for r in db.session.scalars(select(Region))}
    today = date.today()
    judged = _contest(today.year, date(today.year, 2, 1), date(today.year, 4, 30), by_code)
    current = _contest(today.year + 1, today - timedelta(days=45), today + timedelta(days=80),
                       by_code)
    _people(judged, current, by_code)
    echo(f"Demo: organizer organizer@demo.example / {PASSWORD}")

    past = [_plan(rnd, n, by_code, code) for n, code in enumerate(
        code for code in REGIONS for _ in range(judged_per_region))]
    plans = [_plan(rnd, 1000 + n, by_code) for n in range(entries_count)]
    made = _drawings(past + plans, workers, drawing_size)
    with click.progressbar(length=len(past) + len(plans), label="Demo drawings") as bar:
        for n, (details, image, status) in enumerate(made):
            if n < len(past):
                entry = entries.store_many(judged, [(details, image)], via="demo")[0]
                entry.status = EntryStatus.ACCEPTED
                entry.submitted_at = datetime.combine(
                    judged.submissions_open_on + timedelta(days=rnd.randint(0, 80)),
                    time(rnd.randint(8, 21), rnd.randint(0, 59)))
            else:
                entry = entries.store_many(current, [(details, image)], via="demo")[0]
                entry.submitted_at -= timedelta(days=rnd.randint(0, 40),
                                                minutes=rnd.randint(0, 600))
                _moderated(entry, status, rnd)
            db.session.commit()
            bar.update(1)
    _judge(judged, rnd)
    echo(f"{len(past)} judged entries in {judged.year}, {entries_count} open entries in "
         f"{current.year}, {len(REGIONS)} regions.")
    return current


def _people(judged: Contest, current: Contest, by_code: dict[str, Region]) -> None:
    """The organizer, a coordinator and three jurors per region, three national jurors;
    the same people judge both editions."""
    _user("Организатор Демо", "organizer@demo.example", Role.ORGANIZER)
    for code, (short, _towns) in REGIONS.items():
        region = by_code[code]
        _user(f"Координатор ({region.name_ru})", f"coordinator.{short}@demo.example",
              Role.COORDINATOR, region=region)
        for n in (1, 2, 3):
            juror = _user(f"Член жюри {n} ({region.name_ru})", f"juror{n}.{short}@demo.example",
                          Role.JUROR, stage=_stage(current, region))
            juror.juror_stages.append(_stage(judged, region))
    for n in (1, 2, 3):
        juror = _user(f"Член федерального жюри {n}", f"national{n}@demo.example", Role.JUROR,
                      stage=current.national_stage)
        juror.juror_stages.append(judged.national_stage)
    db.session.commit()


def _stage(contest: Contest, region: Region) -> Stage:
    return next(s for s in contest.regional_stages if s.region_id == region.id)


def _moderated(entry, status: EntryStatus, rnd: random.Random) -> None:
    entry.status = status
    if status is EntryStatus.REJECTED:
        entry.status_reason = rnd.choice(REJECTIONS)
    elif status is EntryStatus.NEEDS_PHOTO:
        entry.status_reason = rnd.choice(PHOTO_REQUESTS)


def _judge(contest: Contest, rnd: random.Random) -> None:
    """Run this year's edition through both juries with the real operations: each drawing
    has a quality, each juror a leniency; the national jury marks calendar candidates."""
    quality = {e.id: rnd.uniform(3.5, 9.0) for e in db.session.scalars(
        select(Entry).where(Entry.contest_id == contest.id))}
    change_phase(contest, Phase.REGIONAL_JUDGING)
    for stage in contest.regional_stages:
        _score(stage, quality, rnd)
    db.session.commit()
    change_phase(contest, Phase.NATIONAL_JUDGING)
    _score(contest.national_stage, quality, rnd)
    change_phase(contest, Phase.CALENDAR)
    db.session.commit()


def _score(stage: Stage, quality: dict[int, float], rnd: random.Random) -> None:
    criteria = [c.id for c in stage.contest.criteria]
    low, high = stage.contest.scale_min, stage.contest.scale_max
    judging.change_status(stage, StageStatus.JUDGING_OPEN)
    for juror in stage.jurors:
        leniency = rnd.gauss(0, 0.8)
        for entry in db.session.scalars(judging.juror_entries(stage, juror)):
            marks = {c: min(high, max(low, round(quality[entry.id] + leniency + rnd.gauss(0, 1))))
                     for c in criteria}
            judging.save_sheet(stage, juror, entry, marks,
                               calendar_candidate=quality[entry.id] > 6.5)
    judging.change_status(stage, StageStatus.JUDGING_CLOSED)
    judging.change_status(stage, StageStatus.PUBLISHED)


def _user(name: str, email: str, role: Role, region: Region | None = None,
          stage: Stage | None = None):
    return accounts.create_user(name, email, role, password=PASSWORD, region=region,
                                stage=stage)


def _contest(year: int, opens: date, closes: date, by_code: dict[str, Region]) -> Contest:
    """An edition with the demo's categories, criteria and regions, taking submissions."""
    contest = create_contest(
        year=year,
        title_ru=f"Крепкие кости с детства — {year}",
        title_en=f"Strong Bones from Childhood {year}",
        theme_ru="Движение, молоко и солнце", theme_en="Exercise, milk and sunshine",
        motto_ru="Береги кости смолоду!", motto_en="Look after your bones while you are young!",
        rules_ru=RULES_RU, rules_en=RULES_EN,
        submissions_open_on=opens, submissions_close_on=closes,
        regional_judging_until=closes + timedelta(days=30),
        national_judging_until=closes + timedelta(days=60),
        results_on=closes + timedelta(days=75), age_reference_date=closes,
        scale_min=1, scale_max=10, entries_per_child=1,
    )
    contest.age_categories = [
        AgeCategory(name_ru="Дошкольники", name_en="Pre-school", min_age=5, max_age=7),
        AgeCategory(name_ru="Младшие школьники", name_en="Primary school", min_age=8, max_age=11),
        AgeCategory(name_ru="Подростки", name_en="Teenagers", min_age=12, max_age=15),
    ]
    contest.criteria = [
        Criterion(name_ru="Раскрытие темы", name_en="How well it shows the theme",
                  description_ru="Рисунок говорит о здоровье костей: движение, питание, солнце.",
                  description_en="The drawing speaks of bone health: exercise, food, sunshine.",
                  weight=Decimal(3), position=0),
        Criterion(name_ru="Творческий замысел", name_en="Originality",
                  description_ru="Своя идея, а не копия.", description_en="An idea of its own.",
                  weight=Decimal(2), position=1),
        Criterion(name_ru="Композиция и цвет", name_en="Composition and colour",
                  weight=Decimal(2), position=2),
        Criterion(name_ru="Техника исполнения", name_en="Technique", weight=Decimal(1), position=3),
    ]
    for code in REGIONS:
        contest.stages.append(Stage(kind=StageKind.REGIONAL, region=by_code[code],
                                    finalists_per_category=3))
    contest.national_stage.finalists_per_category = 4  # the winners of each age category
    contest.phase = Phase.SUBMISSIONS_OPEN
    db.session.commit()
    return contest


def _guardian(surname: str, name: str, mother: bool) -> str:
    return f"{surname}{'а' if mother else ''} {name}"


def _plan(rnd: random.Random, n: int, by_code: dict[str, Region],
          code: str | None = None) -> dict:
    code = code or rnd.choice(list(REGIONS))
    girl = rnd.random() < 0.55
    first = rnd.choice(GIRLS if girl else BOYS)
    surname = rnd.choice(SURNAMES)
    last = surname + ("а" if girl else "")
    age = rnd.randint(5, 15)
    status = rnd.choices(DEMO_STATUSES, weights=[25, 60, 8, 7])[0]
    portrait = rnd.random() < 0.35
    details = EntryDetails(
        region_id=by_code[code].id, town=rnd.choice(REGIONS[code][1]),
        child_first_name=first, child_last_name=last, age=age,
        institution=rnd.choice(INSTITUTIONS), title=rnd.choice(TITLES),
        guardian_name=_guardian(surname, *rnd.choice(PARENTS)),
        guardian_email=f"parent{n}@demo.example",
        consents={"personal_data": True, "show_name": rnd.random() < 0.8,
                  "print": rnd.random() < 0.9},
    )
    return {"seed": n, "portrait": portrait, "details": details, "status": status}


def _painted(seed: int, portrait: bool, size: tuple[int, int]) -> ProcessedImage:
    size = size[::-1] if portrait else size
    out = io.BytesIO()
    make_drawing(seed, size).save(out, "JPEG", quality=90)
    return process_image(out.getvalue(), f"drawing-{seed}.jpg")


def _drawings(plans: list[dict], workers: int, size: tuple[int, int]):
    """(details, image, status) for each plan, painted on ``workers`` processes."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        images = pool.map(_painted, [p["seed"] for p in plans], [p["portrait"] for p in plans],
                          [size] * len(plans))
        for plan, image in zip(plans, images, strict=True):
            yield plan["details"], image, plan["status"]
