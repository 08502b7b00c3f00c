"""A living demo contest: what ``make run`` shows a newcomer on an empty database.

Everything is made up: people, schools and drawings (painted by ``calendar_builder.samples``
at print resolution). Demo accounts end in ``@demo.example`` and share one password.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import click
from sqlalchemy import select

from calendar_builder.samples import make_drawing

from . import accounts, entries, regions
from .contests import create_contest
from .entries import EntryDetails
from .extensions import db
from .models import (
    AgeCategory,
    Contest,
    Criterion,
    EntryStatus,
    Phase,
    Region,
    Role,
    Stage,
    StageKind,
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
PARENTS = ["Анна", "Елена", "Ольга", "Ирина", "Сергей", "Алексей"]
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
         seed: int = 2026, workers: int = 2, drawing_size: tuple[int, int] = A4_300DPI) -> Contest:
    """Create the demo contest, its people and ``entries_count`` entries with drawings
    (A4 at 300 dpi unless ``drawing_size`` says otherwise, as tests do to stay fast)."""
    rnd = random.Random(seed)
    regions.sync()
    organizer = _user("Организатор Демо", "organizer@demo.example", Role.ORGANIZER)
    contest = _contest()
    by_code = {r.code: r for r in db.session.scalars(select(Region))}
    for code, (short, _towns) in REGIONS.items():
        region = by_code[code]
        stage = next(s for s in contest.regional_stages if s.region_id == region.id)
        _user(f"Координатор ({region.name_ru})", f"coordinator.{short}@demo.example",
              Role.COORDINATOR, region=region)
        for n in (1, 2, 3):
            _user(f"Член жюри {n} ({region.name_ru})", f"juror{n}.{short}@demo.example",
                  Role.JUROR, stage=stage)
    for n in (1, 2, 3):
        _user(f"Член федерального жюри {n}", f"national{n}@demo.example", Role.JUROR,
              stage=contest.national_stage)
    db.session.commit()
    echo(f"Demo contest {contest.year}: organizer {organizer.email} / {PASSWORD}")

    plans = [_plan(rnd, n, by_code) for n in range(entries_count)]
    made = _drawings(plans, workers, drawing_size)
    with click.progressbar(length=len(plans), label="Demo drawings") as bar:
        for details, image, status in made:
            entry = entries.submit(contest, details, image, via="demo")
            entry.submitted_at = entry.submitted_at - timedelta(
                days=rnd.randint(0, 40), minutes=rnd.randint(0, 600))
            entry.status = status
            if status is EntryStatus.REJECTED:
                entry.status_reason = rnd.choice(REJECTIONS)
            elif status is EntryStatus.NEEDS_PHOTO:
                entry.status_reason = rnd.choice(PHOTO_REQUESTS)
            db.session.commit()
            bar.update(1)
    echo(f"{entries_count} demo entries in {len(REGIONS)} regions.")
    return contest


def _user(name: str, email: str, role: Role, region: Region | None = None,
          stage: Stage | None = None):
    user, _ = accounts.create_user(name, email, role, password=PASSWORD, region=region,
                                   stage=stage)
    return user


def _contest() -> Contest:
    today = date.today()
    close = today + timedelta(days=25)
    contest = create_contest(
        year=today.year,
        title_ru="Крепкие кости с детства", title_en="Strong Bones from Childhood",
        theme_ru="Движение, молоко и солнце", theme_en="Exercise, milk and sunshine",
        motto_ru="Береги кости смолоду!", motto_en="Look after your bones while you are young!",
        rules_ru=RULES_RU, rules_en=RULES_EN,
        submissions_open_on=today - timedelta(days=45), submissions_close_on=close,
        regional_judging_until=close + timedelta(days=30),
        national_judging_until=close + timedelta(days=60),
        results_on=close + timedelta(days=75), age_reference_date=close,
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
    regions_ = db.session.scalars(select(Region).where(Region.code.in_(REGIONS))).all()
    for region in regions_:
        contest.stages.append(Stage(kind=StageKind.REGIONAL, region=region,
                                    finalists_per_category=3))
    contest.phase = Phase.SUBMISSIONS_OPEN
    db.session.commit()
    return contest


def _plan(rnd: random.Random, n: int, by_code: dict[str, Region]) -> dict:
    code = rnd.choice(list(REGIONS))
    girl = rnd.random() < 0.55
    first = rnd.choice(GIRLS if girl else BOYS)
    last = rnd.choice(SURNAMES) + ("а" if girl else "")
    age = rnd.randint(5, 15)
    status = rnd.choices(list(EntryStatus), weights=[25, 60, 8, 7])[0]
    portrait = rnd.random() < 0.35
    details = EntryDetails(
        region_id=by_code[code].id, town=rnd.choice(REGIONS[code][1]),
        child_first_name=first, child_last_name=last, age=age,
        institution=rnd.choice(INSTITUTIONS), title=rnd.choice(TITLES),
        guardian_name=f"{last} {rnd.choice(PARENTS)}",
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
