"""A complete sample calendar: generated drawings, real facts with sources, sample winners."""

import datetime as dt
from pathlib import Path

from .samples import MOTIFS, make_drawing, make_logo
from .spec import (
    DEFAULT_LANGUAGE,
    BackPage,
    CalendarSpec,
    Caption,
    Cover,
    Fact,
    Imprint,
    Language,
    MarkedDay,
    MonthPage,
    Orientation,
    PageFormat,
    Partner,
    Text,
    Winner,
    world_osteoporosis_day,
)

# Sourced facts about bone health, one a month, each with the source to print.
FACTS = (
    Fact(Text("Каждая третья женщина и каждый пятый мужчина старше 50 лет в мире переносят "
              "перелом из-за остеопороза.",
              "Worldwide, one woman in three and one man in five over 50 will break a bone "
              "because of osteoporosis."),
         Text("Международный фонд остеопороза (IOF); Kanis 2000; Melton 1998",
              "International Osteoporosis Foundation (IOF); Kanis 2000; Melton 1998")),
    Fact(Text("Остеопороз вызывает более 8,9 миллиона переломов в год — один каждые 3 секунды.",
              "Osteoporosis causes more than 8.9 million fractures a year: one every 3 seconds."),
         Text("IOF; Johnell & Kanis, 2006", "IOF; Johnell & Kanis 2006")),
    Fact(Text("До 90% пиковой костной массы набирается к 18 годам у девочек и к 20 годам у "
              "мальчиков: крепкие кости строятся в детстве.",
              "Up to 90% of peak bone mass is built by age 18 in girls and 20 in boys: "
              "childhood is when strong bones are made."),
         Text("NIH NIAMS; Baxter-Jones et al., J Bone Miner Res, 2011",
              "NIH NIAMS; Baxter-Jones et al., J Bone Miner Res 2011")),
    Fact(Text("Детям и подросткам нужно не меньше 60 минут движения в день, а также достаточно "
              "кальция и витамина D — для крепких костей.",
              "Children and teenagers need at least 60 minutes of physical activity a day, with "
              "enough calcium and vitamin D, for strong bones."),
         Text("ВОЗ, рекомендации по физической активности, 2020; NICHD",
              "WHO physical activity guidelines 2020; NICHD")),
    Fact(Text("Кость — живая ткань: она обновляется всю жизнь, и весь скелет взрослого "
              "человека сменяется примерно за 10 лет.",
              "Bone is living tissue, renewed throughout life: the whole adult skeleton is "
              "replaced roughly every 10 years."),
         Text("IOF; доклад главного врача США «Здоровье костей и остеопороз», 2004",
              "IOF; US Surgeon General, Bone Health and Osteoporosis report 2004")),
    Fact(Text("Остеопороз — «тихая» болезнь: часто он даёт о себе знать только первым "
              "переломом.",
              "Osteoporosis is a \u201csilent\u201d disease: it often shows itself only with "
              "the first fracture."),
         Text("Международный фонд остеопороза (IOF)", "International Osteoporosis Foundation")),
    Fact(Text("Около 21% женщин и 6% мужчин старше 50 лет живут с остеопорозом — примерно "
              "500 миллионов человек.",
              "About 21% of women and 6% of men over 50 have osteoporosis, some 500 million "
              "people."),
         Text("IOF; Kanis 2008 и более поздние оценки", "IOF (Kanis 2008 and later estimates)")),
    Fact(Text("После одного перелома риск следующего выше на 86%.",
              "A person who has had one fracture has an 86% higher risk of another."),
         Text("IOF, информационный листок; Kanis 2004", "IOF fact sheet (Kanis 2004)")),
    Fact(Text("Риск перелома бедра у женщины за жизнь (1 из 6) выше, чем риск услышать диагноз "
              "«рак молочной железы» (1 из 9).",
              "A woman's lifetime risk of a hip fracture (1 in 6) is higher than her risk of a "
              "breast cancer diagnosis (1 in 9)."),
         Text("IOF; Cummings & Melton, 2002", "IOF fact sheet (Cummings & Melton 2002)")),
    Fact(Text("Всемирный день борьбы с остеопорозом отмечают каждый год 20 октября.",
              "World Osteoporosis Day is held every year on 20 October."),
         Text("IOF, с 1997 года", "IOF (since 1997)")),
    Fact(Text("В России с остеопорозом живут, по оценкам, до 16 миллионов человек.",
              "In Russia, up to 16 million people are estimated to live with osteoporosis."),
         Text("Lesnyak et al., Archives of Osteoporosis, 2020, doi:10.1007/s11657-020-00836-y",
              "Lesnyak et al., Archives of Osteoporosis 2020, doi:10.1007/s11657-020-00836-y")),
    Fact(Text("Службы профилактики повторных переломов находят и лечат людей после первого "
              "перелома; в России они начались с проекта «Прометей» в 2012 году.",
              "Fracture liaison services find and treat people after a first fracture; "
              "Russia's began with the \u201cPrometheus\u201d project in 2012."),
         Text("IOF Capture the Fracture; Российская ассоциация по остеопорозу",
              "IOF Capture the Fracture; Russian Association on Osteoporosis")),
)

CHILDREN = (
    ("Маша", "Masha", 9, "Тверь", "Tver", "Прыгаем вместе", "Jumping together"),
    ("Артём", "Artyom", 11, "Казань", "Kazan", "Стакан молока", "A glass of milk"),
    ("Алиса", "Alisa", 7, "Пермь", "Perm", "Весна в парке", "Spring in the park"),
    ("Тимур", "Timur", 12, "Уфа", "Ufa", "Крепкие кости", "Strong bones"),
    ("Соня", "Sonya", 8, "Омск", "Omsk", "Солнце и витамин D", "Sun and vitamin D"),
    ("Егор", "Yegor", 10, "Самара", "Samara", "Наш футбол", "Our football"),
    ("Варя", "Varya", 6, "Иркутск", "Irkutsk", "Лето", "Summer"),
    ("Миша", "Misha", 13, "Владимир", "Vladimir", "Зарядка", "Morning exercises"),
    ("Полина", "Polina", 9, "Курск", "Kursk", "Бабушкин творог", "Grandma's cottage cheese"),
    ("Даня", "Danya", 11, "Ярославль", "Yaroslavl", "Осенний забег", "The autumn run"),
    ("Ева", "Eva", 8, "Томск", "Tomsk", "Скелет-весельчак", "The happy skeleton"),
    ("Лёва", "Lyova", 10, "Сочи", "Sochi", "Новогодняя лыжня", "New Year ski track"),
    ("Ксюша", "Ksyusha", 12, "Москва", "Moscow", "Здоровые кости — с детства",
     "Strong bones from childhood"),
)
PORTRAIT_MONTHS = {3, 7, 10}


def demo_spec(
    folder: Path,
    *,
    year: int,
    language: Language = DEFAULT_LANGUAGE,
    page_format: PageFormat = "A4",
    orientation: Orientation = "portrait",
    patient_solidarity_day: dt.date | None = None,
    drawing_long_edge: int | None = None,
) -> CalendarSpec:
    """A sample calendar whose drawings are generated into ``folder`` (made if missing).

    Drawings are JPEG print masters like the contest's: A4 or A3 paper at 300 dpi unless
    ``drawing_long_edge`` (pixels) says otherwise.
    """
    folder.mkdir(parents=True, exist_ok=True)
    long_edge = drawing_long_edge or (4961 if page_format == "A3" else 3508)
    size = (long_edge, round(long_edge / 2 ** 0.5))

    def drawing(index: int, portrait: bool) -> Path:
        path = folder / f"drawing-{index:02d}.jpg"
        if not path.exists():
            image = make_drawing(index, size[::-1] if portrait else size,
                                 MOTIFS[index % len(MOTIFS)])
            image.save(path, "JPEG", quality=92)
        return path

    def logo(index: int, name: str, colour: str) -> Path:
        path = folder / f"logo-{index}.png"
        if not path.exists():
            make_logo(name, colour).save(path)
        return path

    def caption(index: int) -> Caption:
        ru, en, age, town_ru, town_en, title_ru, title_en = CHILDREN[index]
        return Caption(Text(ru, en), age, Text(town_ru, town_en), Text(title_ru, title_en))

    months = tuple(
        MonthPage(month, drawing(month, month in PORTRAIT_MONTHS), caption(month - 1),
                  FACTS[month - 1])
        for month in range(1, 13)
    )
    cover_drawing = drawing(0, orientation == "portrait")
    marked = [
        MarkedDay(dt.date(year, 10, 1), Text("Международный день пожилых людей",
                                             "International Day of Older Persons")),
        MarkedDay(dt.date(year, 10, 12), Text("Всемирный день борьбы с артритом",
                                              "World Arthritis Day")),
        world_osteoporosis_day(year),
    ]
    if patient_solidarity_day:
        marked.append(MarkedDay(patient_solidarity_day, Text("День солидарности пациентов",
                                                             "Patient Solidarity Day")))
    return CalendarSpec(
        year=year,
        language=language,  # type: ignore[arg-type]
        page_format=page_format,
        orientation=orientation,
        publisher=Text("Общество пациентов: профилактика остеопороза",
                       "Patient society for osteoporosis prevention"),
        cover=Cover(
            drawing=cover_drawing,
            title=Text("Крепкие кости — с детства", "Strong bones from childhood"),
            subtitle=Text("Рисунки победителей всероссийского детского конкурса",
                          "Drawings by the winners of the national children's contest"),
            motto=Text("Двигайся, пей молоко, гуляй на солнце!",
                       "Move, drink milk, play in the sun!"),
            caption=caption(12),
        ),
        months=months,
        back=BackPage(
            about=Text(
                "Этот календарь нарисовали дети со всей России — победители конкурса рисунков "
                "о здоровье костей. Остеопороз можно предупредить: крепкие кости строятся в "
                "детстве движением, кальцием, витамином D и солнцем. Спасибо всем участникам, "
                "их родителям и учителям!",
                "Children from all over Russia drew this calendar: the winners of the drawing "
                "contest about bone health. Osteoporosis can be prevented: strong bones are "
                "built in childhood with exercise, calcium, vitamin D and sunshine. Thank you "
                "to every participant, their parents and teachers!"),
            winners=tuple(Winner(months[i].drawing, months[i].caption) for i in range(12))
            + (Winner(cover_drawing, caption(12)),),
            partners=(
                Partner(Text("Общество профилактики", "Prevention society"),
                        logo(0, "Общество профилактики", "#1A8E8A")),
                Partner(Text("Крепкие кости", "Strong bones"),
                        logo(1, "Крепкие кости", "#E4572E")),
                Partner(Text("Российская ассоциация по остеопорозу",
                             "Russian Association on Osteoporosis")),
                Partner(Text("Международный фонд остеопороза (IOF)",
                             "International Osteoporosis Foundation (IOF)"))),
            imprint=Imprint(
                printer=Text("ООО «Типография „Печатный двор“», Тверь",
                             "Pechatny Dvor printing house, Tver"),
                print_run=5000, order_number="1234", signed=dt.date(year - 1, 11, 15)),
        ),
        marked_days=tuple(marked),
    )
