# Over 400 lines: the dataclasses and their JSON reader change together, field by field.
"""What to print: frozen dataclasses, and their JSON form (documented in README.md).

Every text the reader sees is a ``Text``: Russian and English side by side, so that both
editions come from one specification (``dataclasses.replace(spec, language="en")``).
"""

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from babel.dates import get_month_names

Language = Literal["ru", "en"]
PageFormat = Literal["A4", "A3"]
Orientation = Literal["portrait", "landscape"]

LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = LANGUAGES[0]  # Russian: the contest's own language
FONTS_DIR = Path(__file__).parent / "fonts"


class SpecError(ValueError):
    """A specification that cannot be printed; the message names the page and the field.

    ``problems`` lists every problem found, one a line in the message.
    """

    def __init__(self, problems: str | list[str] | tuple[str, ...]) -> None:
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("\n".join(self.problems))


LOCALES = {"ru": "ru_RU", "en": "en_GB"}
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FIRST_YEAR, LAST_YEAR = 1991, 2100  # the Russian Federation's production calendars
AGES = range(1, 100)
MAX_PRINT_RUN = 10_000_000  # copies: more is a typing mistake, not a calendar
MAX_ORDER_CHARS = 40
MAX_LOGOS = 12  # the back page's row of logos stays readable up to this many


def month_name(month: int, language: Language) -> str:
    """The month's stand-alone name, capitalised: "Январь", "January"."""
    names = get_month_names("wide", context="stand-alone", locale=LOCALES[language])
    return names[month].capitalize()


def page_name(month: int, language: Language) -> str:
    """How errors and the report name a month's page: "month 05 (Май)"."""
    return f"month {month:02d} ({month_name(month, language)})"


@dataclass(frozen=True)
class Text:
    """One text in both languages; the English edition falls back to Russian when empty."""

    ru: str
    en: str = ""

    def get(self, language: Language) -> str:
        """The text for ``language``."""
        return (self.en or self.ru) if language == "en" else (self.ru or self.en)


@dataclass(frozen=True)
class Caption:
    """Who drew a drawing, as the specification gives it; empty parts are left out."""

    first_name: Text
    age: int | None = None
    town: Text = Text("")
    title: Text = Text("")


@dataclass(frozen=True)
class Fact:
    """A fact about bone health with the source printed beside it."""

    text: Text
    source: Text


@dataclass(frozen=True)
class Cover:
    drawing: Path
    title: Text
    subtitle: Text = Text("")
    motto: Text = Text("")
    caption: Caption | None = None


@dataclass(frozen=True)
class MonthPage:
    month: int  # 1..12
    drawing: Path
    caption: Caption
    fact: Fact


@dataclass(frozen=True)
class Winner:
    """One winner on the back page: a thumbnail of the drawing and its caption."""

    drawing: Path
    caption: Caption


@dataclass(frozen=True)
class Partner:
    """A partner thanked on the back page: its name, and its logo when there is one.

    A logo is an image file (PNG or JPEG; transparency is laid on the paper); the name is
    printed under the logos only for partners without one.
    """

    name: Text
    logo: Path | None = None


@dataclass(frozen=True)
class Imprint:
    """The imprint (выходные сведения) printed at the foot of the back page.

    Every part is optional; the publisher falls back to the specification's ``publisher``.
    """

    publisher: Text = Text("")
    print_run: int | None = None  # copies (тираж)
    printer: Text = Text("")  # the printing house (типография)
    order_number: str = ""  # the printer's order (заказ №)
    signed: dt.date | None = None  # passed for printing (подписано в печать)

    def is_empty(self) -> bool:
        return not (self.publisher.ru or self.publisher.en or self.print_run is not None
                    or self.printer.ru or self.printer.en or self.order_number
                    or self.signed is not None)


@dataclass(frozen=True)
class BackPage:
    about: Text
    winners: tuple[Winner, ...] = ()
    partners: tuple[Partner, ...] = ()
    title: Text = Text("Победители конкурса", "The contest's winners")
    imprint: Imprint = Imprint()


@dataclass(frozen=True)
class MarkedDay:
    """A day to mark in the grid and explain in the month's legend."""

    date: dt.date
    label: Text


def world_osteoporosis_day(year: int) -> MarkedDay:
    """World Osteoporosis Day, held by the IOF every 20 October since 1997."""
    return MarkedDay(
        dt.date(year, 10, 20),
        Text("Всемирный день борьбы с остеопорозом", "World Osteoporosis Day"),
    )


@dataclass(frozen=True)
class Transfer:
    """A day off the government's decree moves: ``day_off`` is made a day off in place of
    ``moved_from``, a weekend day (or a public holiday falling on one). A weekend day that
    is no holiday becomes a working day; ``label`` and ``working_label`` name the two days
    in the legend (empty: "Выходной (перенесено с 4 января)", "Рабочий день")."""

    moved_from: dt.date
    day_off: dt.date
    label: Text = Text("")
    working_label: Text = Text("")


@dataclass(frozen=True)
class Colours:
    """The palette, as #RRGGBB."""

    ink: str = "#23304A"  # text and day numbers
    accent: str = "#E4572E"  # month names, rules, the cover band
    weekend: str = "#D7263D"  # weekends, public holidays and days off
    marked: str = "#1A8E8A"  # awareness days
    tint: str = "#FFF3E2"  # panels behind text
    paper: str = "#FFFFFF"


@dataclass(frozen=True)
class Fonts:
    """TrueType (glyf outline) fonts with full Cyrillic; PT Sans and Comfortaa by default."""

    regular: Path = FONTS_DIR / "PTSans-Regular.ttf"
    bold: Path = FONTS_DIR / "PTSans-Bold.ttf"
    italic: Path = FONTS_DIR / "PTSans-Italic.ttf"
    display: Path = FONTS_DIR / "Comfortaa-Bold.ttf"  # titles and month names


@dataclass(frozen=True)
class CalendarSpec:
    """Everything that decides what the calendar looks like.

    ``transfers`` None takes the year's days off from the ``holidays`` data, which must cover
    the year unless ``holidays_confirmed``; a tuple (maybe empty) is the year's decree, over
    the public holidays and the Labour Code's rule (art. 112) for a holiday on a weekend.
    """

    year: int
    cover: Cover
    months: tuple[MonthPage, ...]  # exactly 12, January first
    back: BackPage
    language: Language = DEFAULT_LANGUAGE
    page_format: PageFormat = "A4"
    orientation: Orientation = "portrait"
    bleed_mm: float = 3.0
    crop_marks: bool = False
    safe_mm: float = 5.0
    binding_mm: float = 11.0  # kept free at the top for the wire-o holes
    # None marks World Osteoporosis Day alone; give a tuple (maybe empty) to choose.
    marked_days: tuple[MarkedDay, ...] | None = None
    colours: Colours = field(default_factory=Colours)
    fonts: Fonts = field(default_factory=Fonts)
    transfers: tuple[Transfer, ...] | None = None
    holidays_confirmed: bool = False
    # who publishes the calendar: the PDF's author (its metadata), never "anonymous"
    publisher: Text = Text("")

    def __post_init__(self) -> None:
        problems = spec_problems(self)
        if problems:
            raise SpecError(problems)

    @property
    def drawings(self) -> tuple[Path, ...]:
        """Every drawing the calendar prints, once each: cover, months, then the back page."""
        paths = [self.cover.drawing, *(m.drawing for m in self.months),
                 *(w.drawing for w in self.back.winners)]
        return tuple(dict.fromkeys(paths))

    @property
    def logos(self) -> tuple[Path, ...]:
        """The partners' logos the back page prints, once each."""
        return tuple(dict.fromkeys(p.logo for p in self.back.partners if p.logo is not None))

    @property
    def images(self) -> tuple[Path, ...]:
        """Every image file the calendar prints: the drawings, then the logos."""
        return tuple(dict.fromkeys((*self.drawings, *self.logos)))

    @property
    def days_to_mark(self) -> tuple[MarkedDay, ...]:
        """The marked days in force: the given ones, or World Osteoporosis Day."""
        if self.marked_days is None:
            return (world_osteoporosis_day(self.year),)
        return self.marked_days

    def pages_of(self, drawing: Path) -> list[str]:
        """The names of the pages that print ``drawing``."""
        language = self.language if self.language in LANGUAGES else DEFAULT_LANGUAGE
        pages = ["cover"] if self.cover.drawing == drawing else []
        pages += [page_name(m.month, language) for m in self.months if m.drawing == drawing]
        if any(w.drawing == drawing for w in self.back.winners):
            pages.append("back")
        pages += [f"back: partners[{i}].logo" for i, p in enumerate(self.back.partners)
                  if p.logo == drawing]
        return pages


def spec_problems(spec: CalendarSpec) -> list[str]:
    """Every problem of the specification's values, each naming its page and field."""
    problems = []
    language = spec.language if spec.language in LANGUAGES else DEFAULT_LANGUAGE
    if isinstance(spec.year, bool) or not isinstance(spec.year, int):
        problems.append(f"year: {spec.year!r} is not a year")
    elif not FIRST_YEAR <= spec.year <= LAST_YEAR:
        problems.append(f"year: {spec.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if spec.language not in LANGUAGES:
        problems.append(f"language: must be one of {', '.join(LANGUAGES)}, not {spec.language!r}")
    if spec.page_format not in ("A4", "A3"):
        problems.append(f"page_format: must be A4 or A3, not {spec.page_format!r}")
    if spec.orientation not in ("portrait", "landscape"):
        problems.append(f"orientation: must be portrait or landscape, not {spec.orientation!r}")
    if [m.month for m in spec.months] != list(range(1, 13)):
        problems.append("months: must be the 12 months in order, January first")
    for name, low, high in (("bleed_mm", 0, 10), ("safe_mm", 3, 20), ("binding_mm", 0, 30)):
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{name}: {value!r} is not a number")
        elif not low <= value <= high:
            problems.append(f"{name}: {value:g} is not between {low} and {high}")
    for name in ("crop_marks", "holidays_confirmed"):
        if not isinstance(getattr(spec, name), bool):
            problems.append(f"{name}: must be true or false, not {getattr(spec, name)!r}")
    captions = [("cover", "caption", spec.cover.caption)]
    captions += [(page_name(m.month, language) if 1 <= m.month <= 12 else f"month {m.month}",
                  "caption", m.caption) for m in spec.months]
    captions += [("back", f"winners[{i}].caption", w.caption)
                 for i, w in enumerate(spec.back.winners)]
    for page, where, caption in captions:
        age = caption.age if caption is not None else None
        if age is None:
            continue
        if isinstance(age, bool) or not isinstance(age, int):
            problems.append(f"{page}: {where}.age: {_shown(age)} is not a number")
        elif age not in AGES:
            problems.append(f"{page}: {where}.age: {age} is not between {AGES[0]} and "
                            f"{AGES[-1]}")
    problems += back_problems(spec.back)
    for colour in fields(spec.colours):
        value = getattr(spec.colours, colour.name)
        if not isinstance(value, str) or not COLOUR.fullmatch(value):
            problems.append(f"colours.{colour.name}: {_shown(value)} is not a colour "
                            "(#RRGGBB, e.g. #E4572E)")
    for font in fields(spec.fonts):
        path = getattr(spec.fonts, font.name)
        if not Path(path).is_file():
            problems.append(f"fonts.{font.name}: file not found ({path})")
    if isinstance(spec.year, int):
        problems += [f"marked_days[{i}].date: {day.date} is not in {spec.year}"
                     for i, day in enumerate(spec.days_to_mark) if day.date.year != spec.year]
        problems += [f"transfers[{i}].{key}: {message}"
                     for i, key, message in transfer_problems(spec.year, spec.transfers or ())]
    return problems


def back_problems(back: BackPage) -> list[str]:
    """What is wrong with the back page's partners and imprint, each naming its field.

    A logo's file is checked with the drawings, from its header (``plan_calendar``):
    ``back: partners[2].logo: logo.png: file not found (...)``.
    """
    problems = []
    if sum(p.logo is not None for p in back.partners) > MAX_LOGOS:
        problems.append(f"back: partners: at most {MAX_LOGOS} logos fit the back page")
    for i, partner in enumerate(back.partners):
        if partner.logo is None and not (partner.name.ru or partner.name.en):
            problems.append(f"back: partners[{i}]: needs a name or a logo")
    imprint = back.imprint
    run = imprint.print_run
    if run is not None:
        if isinstance(run, bool) or not isinstance(run, int):
            problems.append(f"back: imprint.print_run: {_shown(run)} is not a whole number")
        elif not 1 <= run <= MAX_PRINT_RUN:
            problems.append(f"back: imprint.print_run: {run} is not between 1 and "
                            f"{MAX_PRINT_RUN:,}".replace(",", " "))
    if not isinstance(imprint.order_number, str):
        problems.append(f"back: imprint.order_number: must be a text, not "
                        f"{_shown(imprint.order_number)}")
    elif len(imprint.order_number) > MAX_ORDER_CHARS:
        problems.append(f"back: imprint.order_number: at most {MAX_ORDER_CHARS} characters")
    if imprint.signed is not None and not isinstance(imprint.signed, dt.date):
        problems.append(f"back: imprint.signed: {_shown(imprint.signed)} is not a date")
    for name in ("publisher", "printer"):
        for text in (getattr(imprint, name).ru, getattr(imprint, name).en):
            if CONTROL.search(text):
                problems.append(f"back: imprint.{name}: must be one line, without line breaks "
                                "or control characters")
                break
    if isinstance(imprint.order_number, str) and CONTROL.search(imprint.order_number):
        problems.append("back: imprint.order_number: must be one line, without line breaks or "
                        "control characters")
    return problems


def transfer_problems(year: int, transfers: tuple[Transfer, ...]
                      ) -> list[tuple[int, str, str]]:
    """What is wrong with a decree's transfers: (index, "from" or "to", message) each.

    A day off moves within its year, from a Saturday or Sunday to a weekday.
    """
    problems = []
    for i, transfer in enumerate(transfers):
        for name, key in (("moved_from", "from"), ("day_off", "to")):
            date = getattr(transfer, name)
            if date.year != year:
                problems.append((i, key, f"{date} is not in {year}"))
        if transfer.moved_from.weekday() < 5:
            problems.append((i, "from", f"{transfer.moved_from} is a "
                                        f"{transfer.moved_from:%A}: only a weekend day moves"))
        if transfer.day_off.weekday() >= 5:
            problems.append((i, "to", f"{transfer.day_off} is a {transfer.day_off:%A}, "
                                      "already a day off"))
    return problems


def _shown(value: object) -> str:
    """A wrong value as the person wrote it: strings in double quotes, as in JSON."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


# JSON form -------------------------------------------------------------------------------

# Every key the JSON form knows, by the object it belongs to.
KEYS = {
    "spec": ("year", "language", "page_format", "orientation", "bleed_mm", "crop_marks",
             "safe_mm", "binding_mm", "cover", "months", "back", "marked_days", "colours",
             "fonts", "transfers", "holidays_confirmed", "publisher"),
    "cover": ("drawing", "title", "subtitle", "motto", "caption"),
    "month": ("drawing", "caption", "fact"),
    "caption": ("first_name", "age", "town", "title"),
    "fact": ("text", "source"),
    "back": ("about", "winners", "partners", "title", "imprint"),
    "winner": ("drawing", "caption"),
    "partner": ("name", "logo"),
    "imprint": ("publisher", "print_run", "printer", "order_number", "signed"),
    "marked_day": ("date", "label"),
    "transfer": ("from", "to", "label", "working_label"),
    "text": ("ru", "en"),
    "colours": tuple(f.name for f in fields(Colours)),
    "fonts": tuple(f.name for f in fields(Fonts)),
}


def load_spec(path: Path) -> CalendarSpec:
    """Read a JSON specification; relative drawing paths are taken from the file's folder."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except json.JSONDecodeError as error:
        raise SpecError(f"{Path(path).name}: not valid JSON: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{Path(path).name}: cannot be read: {error}") from error
    return spec_from_dict(data, base=Path(path).resolve().parent)


def spec_from_dict(data: dict[str, Any], base: Path = Path(".")) -> CalendarSpec:
    """Build a ``CalendarSpec`` from its JSON form, checked as a whole.

    Raises ``SpecError`` listing every problem, each naming its page and field
    (``month 05 (Май): caption.age: "девять" is not a number``); an unknown key is named
    with the known one nearest to it.
    """
    if not isinstance(data, dict):
        raise SpecError("the specification must be a JSON object {...}, not a "
                        f"{'list' if isinstance(data, list) else type(data).__name__}")
    reader = _Reader(base)
    values = reader.spec(data)
    try:
        spec = CalendarSpec(**values)
    except SpecError as error:
        # A field the reader found wrong was given a stand-in value: not a second problem.
        noted = {_field(problem) for problem in reader.problems}
        raise SpecError(reader.problems + [
            p for p in error.problems
            if not any(_field(p).startswith(f) or f.startswith(_field(p)) for f in noted)
        ]) from None
    if reader.problems:
        raise SpecError(reader.problems)
    return spec


def _field(problem: str) -> str:
    """"month 05 (Май): caption.age" of "month 05 (Май): caption.age: ... is not a number"."""
    parts = problem.split(": ")
    paged = parts[0] in ("cover", "back") or parts[0].startswith("month ")
    return ": ".join(parts[:2]) if paged and len(parts) > 2 else parts[0]


class _Reader:
    """Reads the JSON form, noting every problem and going on with a harmless value."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[str] = []
        self.language: Language = DEFAULT_LANGUAGE

    def problem(self, page: str, where: str, message: str) -> None:
        self.problems.append(f"{page}: {where}: {message}" if page else f"{where}: {message}")

    def object(self, value: Any, kind: str, page: str, where: str) -> dict[str, Any]:
        """``value`` as a JSON object of ``kind``, its unknown keys noted and left out."""
        if not isinstance(value, dict):
            self.problem(page, where or kind, f"must be an object {{...}}, not {_shown(value)}")
            return {}
        known = KEYS[kind]
        for key in value:
            if key not in known:
                near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                hint = f"; did you mean \"{near[0]}\"?" if near else (
                    f"; known keys: {', '.join(known)}")
                self.problem(page, f"{where}.{key}" if where else str(key), "unknown key" + hint)
        return {key: item for key, item in value.items() if key in known}

    def required(self, data: dict[str, Any], key: str, page: str, where: str) -> Any:
        if key not in data:
            self.problem(page, where, "missing")
            return None
        return data[key]

    def spec(self, data: Any) -> dict[str, Any]:
        data = self.object(data, "spec", "", "")
        if data.get("language") in LANGUAGES:
            self.language = data["language"]
        values: dict[str, Any] = {}
        year = self.required(data, "year", "", "year")
        values["year"] = self.integer(year, "", "year", 2000) if year is not None else 2000
        for key in ("language", "page_format", "orientation"):
            if key in data:
                values[key] = self.string(data[key], "", key)
        for key in ("bleed_mm", "safe_mm", "binding_mm"):
            if key in data:
                values[key] = self.number(data[key], "", key)
        for key in ("crop_marks", "holidays_confirmed"):
            if key in data:
                values[key] = self.boolean(data[key], "", key)
        if "publisher" in data:
            values["publisher"] = self.text(data["publisher"], "", "publisher")
        values["cover"] = self.cover(self.required(data, "cover", "cover", "cover"))
        values["months"] = self.months(self.required(data, "months", "", "months"))
        values["back"] = self.back(self.required(data, "back", "back", "back"))
        if data.get("marked_days") is not None:
            values["marked_days"] = tuple(
                self.marked_day(day, f"marked_days[{i}]")
                for i, day in enumerate(self.array(data["marked_days"], "", "marked_days")))
        if data.get("transfers") is not None:
            values["transfers"] = tuple(
                self.transfer(item, f"transfers[{i}]")
                for i, item in enumerate(self.array(data["transfers"], "", "transfers")))
        colours = self.object(data.get("colours", {}), "colours", "", "colours")
        values["colours"] = Colours(**{key: self.string(value, "", f"colours.{key}")
                                       for key, value in colours.items()})
        fonts = self.object(data.get("fonts", {}), "fonts", "", "fonts")
        values["fonts"] = Fonts(**{key: self.path(value, "", f"fonts.{key}")
                                   for key, value in fonts.items()})
        return values

    def cover(self, value: Any) -> Cover:
        if value is None:  # noted as missing
            return Cover(self.base, Text(""))
        page = "cover"
        data = self.object(value, "cover", page, "")
        caption = data.get("caption")
        return Cover(
            drawing=self.path(self.required(data, "drawing", page, "drawing"), page, "drawing"),
            title=self.text(self.required(data, "title", page, "title"), page, "title"),
            subtitle=self.text(data.get("subtitle", ""), page, "subtitle"),
            motto=self.text(data.get("motto", ""), page, "motto"),
            caption=self.caption(caption, page, "caption") if caption else None,
        )

    def months(self, value: Any) -> tuple[MonthPage, ...]:
        if value is None:  # noted as missing
            return ()
        items = self.array(value, "", "months")
        if isinstance(value, list) and len(items) != 12:
            self.problem("", "months", f"must be the 12 months, January first; found "
                                       f"{len(items)}")
        return tuple(self.month(index, item) for index, item in enumerate(items[:12], start=1))

    def month(self, index: int, value: Any) -> MonthPage:
        page = page_name(index, self.language)
        data = self.object(value, "month", page, "")
        fact = self.object(self.required(data, "fact", page, "fact") or {}, "fact", page, "fact")
        return MonthPage(
            month=index,
            drawing=self.path(self.required(data, "drawing", page, "drawing"), page, "drawing"),
            caption=self.caption(self.required(data, "caption", page, "caption"), page,
                                 "caption"),
            fact=Fact(self.text(self.required(fact, "text", page, "fact.text"), page,
                                "fact.text"),
                      self.text(self.required(fact, "source", page, "fact.source"), page,
                                "fact.source")),
        )

    def back(self, value: Any) -> BackPage:
        if value is None:  # noted as missing
            return BackPage(Text(""))
        page = "back"
        data = self.object(value, "back", page, "")
        winners = []
        for i, item in enumerate(self.array(data.get("winners", []), page, "winners")):
            winner = self.object(item, "winner", page, f"winners[{i}]")
            where = f"winners[{i}]"
            winners.append(Winner(
                self.path(self.required(winner, "drawing", page, f"{where}.drawing"), page,
                          f"{where}.drawing"),
                self.caption(self.required(winner, "caption", page, f"{where}.caption"), page,
                             f"{where}.caption")))
        partners = tuple(self.partner(p, page, f"partners[{i}]")
                         for i, p in enumerate(self.array(data.get("partners", []), page,
                                                          "partners")))
        extra = {"title": self.text(data["title"], page, "title")} if "title" in data else {}
        if data.get("imprint") is not None:
            extra["imprint"] = self.imprint(data["imprint"], page, "imprint")
        return BackPage(about=self.text(self.required(data, "about", page, "about"), page,
                                        "about"),
                        winners=tuple(winners), partners=partners, **extra)

    def partner(self, value: Any, page: str, where: str) -> Partner:
        """A partner: its name as a text, or {"name": ..., "logo": "logo.png"}."""
        if isinstance(value, dict) and not set(value) <= set(KEYS["text"]):
            data = self.object(value, "partner", page, where)
            logo = data.get("logo")
            return Partner(self.text(data.get("name", ""), page, f"{where}.name"),
                           None if logo is None else self.path(logo, page, f"{where}.logo"))
        return Partner(self.text(value, page, where))

    def imprint(self, value: Any, page: str, where: str) -> Imprint:
        data = self.object(value, "imprint", page, where)
        run = data.get("print_run")
        if run is not None:
            run = self.integer(run, page, f"{where}.print_run", 1)
        order = data.get("order_number", "")
        if isinstance(order, int) and not isinstance(order, bool):
            order = str(order)
        signed = data.get("signed")
        return Imprint(
            publisher=self.text(data.get("publisher", ""), page, f"{where}.publisher"),
            print_run=run,
            printer=self.text(data.get("printer", ""), page, f"{where}.printer"),
            order_number=self.string(order, page, f"{where}.order_number"),
            signed=None if signed is None else self.date(signed, f"{where}.signed", page))

    def caption(self, value: Any, page: str, where: str) -> Caption:
        if value is None:
            return Caption(Text(""))
        data = self.object(value, "caption", page, where)
        age = data.get("age")
        return Caption(
            first_name=self.text(self.required(data, "first_name", page, f"{where}.first_name"),
                                 page, f"{where}.first_name"),
            age=None if age is None else self.age(age, page, f"{where}.age"),
            town=self.text(data.get("town", ""), page, f"{where}.town"),
            title=self.text(data.get("title", ""), page, f"{where}.title"),
        )

    def marked_day(self, value: Any, where: str) -> MarkedDay:
        data = self.object(value, "marked_day", "", where)
        return MarkedDay(
            self.date(self.required(data, "date", "", f"{where}.date"), f"{where}.date"),
            self.text(self.required(data, "label", "", f"{where}.label"), "", f"{where}.label"))

    def transfer(self, value: Any, where: str) -> Transfer:
        data = self.object(value, "transfer", "", where)
        moved_from = self.date(self.required(data, "from", "", f"{where}.from"), f"{where}.from")
        day_off = self.date(self.required(data, "to", "", f"{where}.to"), f"{where}.to")
        if day_off == moved_from == dt.date(2000, 1, 1):
            day_off = dt.date(2000, 1, 3)  # both unreadable: noted already
        return Transfer(moved_from, day_off,
                        self.text(data.get("label", ""), "", f"{where}.label"),
                        self.text(data.get("working_label", ""), "", f"{where}.working_label"))

    # Values ---------------------------------------------------------------------------

    def text(self, value: Any, page: str, where: str) -> Text:
        if value is None:
            return Text("")
        if isinstance(value, str):
            return Text(value, value)
        if isinstance(value, dict):
            data = self.object(value, "text", page, where)
            parts = {key: self.string(item, page, f"{where}.{key}") for key, item in data.items()}
            return Text(parts.get("ru", ""), parts.get("en", ""))
        self.problem(page, where, f"must be a text or {{\"ru\": ..., \"en\": ...}}, not "
                                  f"{_shown(value)}")
        return Text("")

    def string(self, value: Any, page: str, where: str) -> str:
        if isinstance(value, str):
            return value
        self.problem(page, where, f"must be a text, not {_shown(value)}")
        return ""

    def number(self, value: Any, page: str, where: str) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.problem(page, where, f"{_shown(value)} is not a number")
        return 5.0  # within every range: no second problem for the same field

    def integer(self, value: Any, page: str, where: str, fallback: int) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        self.problem(page, where, f"{_shown(value)} is not a whole number")
        return fallback

    def age(self, value: Any, page: str, where: str) -> int | None:
        whole = (isinstance(value, int) and not isinstance(value, bool)
                 or isinstance(value, float) and value.is_integer()
                 or isinstance(value, str) and value.strip().isdigit())
        if not whole:
            self.problem(page, where, f"{_shown(value)} is not a number")
            return None
        return int(value)

    def boolean(self, value: Any, page: str, where: str) -> bool:
        if isinstance(value, bool):
            return value
        self.problem(page, where, f"must be true or false, not {_shown(value)}")
        return False

    def date(self, value: Any, where: str, page: str = "") -> dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if value is not None:
            self.problem(page, where, f"{_shown(value)} is not a date (YYYY-MM-DD)")
        return dt.date(2000, 1, 1)

    def array(self, value: Any, page: str, where: str) -> list[Any]:
        if isinstance(value, list):
            return value
        self.problem(page, where, f"must be a list [...], not {_shown(value)}")
        return []

    def path(self, value: Any, page: str, where: str) -> Path:
        if not isinstance(value, str) or not value.strip():
            if value is not None:
                self.problem(page, where, f"must be a file's path, not {_shown(value)}")
            return self.base
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base / path
