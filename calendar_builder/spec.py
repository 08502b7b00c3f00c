"""What to print: frozen dataclasses, and their JSON form (documented in README.md).

Every text the reader sees is a ``Text``: Russian and English side by side, so that both
editions come from one specification (``dataclasses.replace(spec, language="en")``).
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

Language = Literal["ru", "en"]
PageFormat = Literal["A4", "A3"]
Orientation = Literal["portrait", "landscape"]

LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = LANGUAGES[0]  # Russian: the contest's own language
FONTS_DIR = Path(__file__).parent / "fonts"


class SpecError(ValueError):
    """A specification that cannot be printed; the message names the field."""


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
class BackPage:
    about: Text
    winners: tuple[Winner, ...] = ()
    partners: tuple[Text, ...] = ()
    title: Text = Text("Победители конкурса", "The contest's winners")


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
    """Everything that decides what the calendar looks like."""

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

    def __post_init__(self) -> None:
        problems = []
        if self.language not in LANGUAGES:
            problems.append(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if self.page_format not in ("A4", "A3"):
            problems.append(f"page_format must be A4 or A3, not {self.page_format!r}")
        if self.orientation not in ("portrait", "landscape"):
            problems.append(f"orientation must be portrait or landscape, not {self.orientation!r}")
        if [m.month for m in self.months] != list(range(1, 13)):
            problems.append("months must be the 12 months in order, January first")
        if not 0 <= self.bleed_mm <= 10:
            problems.append("bleed_mm must be between 0 and 10")
        if not 3 <= self.safe_mm <= 20:
            problems.append("safe_mm must be between 3 and 20")
        if not 0 <= self.binding_mm <= 30:
            problems.append("binding_mm must be between 0 and 30")
        problems += [
            f"marked day {day.date} is not in {self.year}"
            for day in self.days_to_mark
            if day.date.year != self.year
        ]
        if problems:
            raise SpecError("; ".join(problems))

    @property
    def drawings(self) -> tuple[Path, ...]:
        """Every drawing the calendar prints, once each: cover, months, then the back page."""
        paths = [self.cover.drawing, *(m.drawing for m in self.months),
                 *(w.drawing for w in self.back.winners)]
        return tuple(dict.fromkeys(paths))

    @property
    def days_to_mark(self) -> tuple[MarkedDay, ...]:
        """The marked days in force: the given ones, or World Osteoporosis Day."""
        if self.marked_days is None:
            return (world_osteoporosis_day(self.year),)
        return self.marked_days


# JSON form -------------------------------------------------------------------------------


def load_spec(path: Path) -> CalendarSpec:
    """Read a JSON specification; relative drawing paths are taken from the file's folder."""
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    return spec_from_dict(data, base=Path(path).resolve().parent)


def spec_from_dict(data: dict[str, Any], base: Path = Path(".")) -> CalendarSpec:
    """Build a ``CalendarSpec`` from its JSON form; raises ``SpecError`` naming the field."""
    try:
        return _spec(data, base)
    except SpecError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SpecError(f"invalid calendar specification: {error!r}") from error


def _spec(data: dict[str, Any], base: Path) -> CalendarSpec:
    year = int(data["year"])
    options = {
        key: data[key]
        for key in ("language", "page_format", "orientation", "bleed_mm", "crop_marks",
                    "safe_mm", "binding_mm")
        if key in data
    }
    marked = data.get("marked_days")
    return CalendarSpec(
        year=year,
        cover=Cover(
            drawing=_path(data["cover"]["drawing"], base),
            title=_text(data["cover"]["title"]),
            subtitle=_text(data["cover"].get("subtitle", "")),
            motto=_text(data["cover"].get("motto", "")),
            caption=_caption(data["cover"]["caption"]) if data["cover"].get("caption") else None,
        ),
        months=tuple(
            MonthPage(
                month=index,
                drawing=_path(month["drawing"], base),
                caption=_caption(month["caption"]),
                fact=Fact(_text(month["fact"]["text"]), _text(month["fact"]["source"])),
            )
            for index, month in enumerate(data["months"], start=1)
        ),
        back=BackPage(
            about=_text(data["back"]["about"]),
            winners=tuple(
                Winner(_path(w["drawing"], base), _caption(w["caption"]))
                for w in data["back"].get("winners", [])
            ),
            partners=tuple(_text(p) for p in data["back"].get("partners", [])),
            **({"title": _text(data["back"]["title"])} if "title" in data["back"] else {}),
        ),
        marked_days=None if marked is None else tuple(
            MarkedDay(dt.date.fromisoformat(day["date"]), _text(day["label"])) for day in marked
        ),
        colours=Colours(**data.get("colours", {})),
        fonts=Fonts(**{k: _path(v, base) for k, v in data.get("fonts", {}).items()}),
        **options,
    )


def _text(value: str | dict[str, str]) -> Text:
    if isinstance(value, str):
        return Text(value, value)
    return Text(value.get("ru", ""), value.get("en", ""))


def _caption(data: dict[str, Any]) -> Caption:
    age = data.get("age")
    return Caption(
        first_name=_text(data["first_name"]),
        age=None if age is None else int(age),
        town=_text(data.get("town", "")),
        title=_text(data.get("title", "")),
    )


def _path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path
