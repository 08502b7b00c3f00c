from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..config import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from ..wall_calendar import MONTHS, ImprintValues, Options, decree_problems, page_name

REQUIRED = DataRequired(message=_l("Please fill this in."))


def _month_choices() -> list[SelectChoice]:
    """None, then the months named in the current language; choice m is month m, so the facts
    list names a fact's month by its index."""
    return [SelectChoice("", "—"), *(SelectChoice(m, page_name(m).capitalize()) for m in MONTHS)]


class FactForm(FlaskForm):
    text_ru = TextAreaField(_l("Fact (Russian)"), validators=[REQUIRED, Length(max=400)],
                            description=_l("Short enough for a month page: up to 400 characters."))
    text_en = TextAreaField(_l("Fact (English)"), validators=[Optional(), Length(max=400)])
    source_ru = StringField(_l("Source (Russian)"), validators=[REQUIRED, Length(max=300)],
                            description=_l("Printed beside the fact, e.g. “IOF fact sheet”."))
    source_en = StringField(_l("Source (English)"), validators=[Optional(), Length(max=300)])
    month = SelectField(_l("Month"), coerce=lambda v: int(v) if v else None,
                        choices=_month_choices,
                        description=_l("For a fact about a day in that month: "
                                       "the month's page gets it first."))
    active = BooleanField(_l("Offer this fact for calendars"), default=True)


LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class CertificateBatchForm(FlaskForm):
    stage = SelectField(_l("Region"), coerce=int)
    language = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)


class CalendarExportForm(FlaskForm):
    language = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    page_format = RadioField(_l("Page size"), default="A4", choices=[
        SelectChoice("A4", "A4"), SelectChoice("A3", "A3")])
    orientation = RadioField(_l("Orientation"), default="portrait", choices=[
        SelectChoice("portrait", _l("Portrait")), SelectChoice("landscape", _l("Landscape"))])
    bleed_mm = DecimalField(_l("Bleed, mm"), default=3, places=1, validators=[
        InputRequired(message=_l("Please fill this in.")), NumberRange(0, 10)],
        description=_l("What the printer asks for: usually 3 mm, sometimes 2 mm."))
    crop_marks = BooleanField(_l("Crop marks"), description=_l(
        "Some printers want them in the file, some want none."))
    max_per_region = IntegerField(_l("At most drawings per region"), default=2, validators=[
        InputRequired(message=_l("Please fill this in.")), NumberRange(1, 13)])
    patient_solidarity_day = DateField(_l("Patient Solidarity Day"), validators=[Optional()],
                                       description=_l("Its date changes every year (early "
                                                      "December); leave empty not to mark it."))
    partners = TextAreaField(_l("Partners, one per line"), validators=[Optional(),
                                                                      Length(max=2000)])
    output = RadioField(_l("File"), default="pdfx4", choices=[
        SelectChoice("rgb", _l("RGB: for screens and office printers")),
        SelectChoice("pdfx4", _l("PDF/X-4: for a print shop (RGB, colour-managed)")),
        SelectChoice("coated", _l("PDF/X-1a, CMYK: coated paper")),
        SelectChoice("uncoated", _l("PDF/X-1a, CMYK: uncoated paper"))],
        description=_l("Ask the print shop which it takes. A CMYK file has its text in pure "
                       "black, its total ink checked against the paper's limit, and previews "
                       "as the press will print it."))

    def options(self) -> Options:
        return Options(
            language=self.language.data, page_format=self.page_format.data,
            orientation=self.orientation.data, bleed_mm=float(self.bleed_mm.data),
            crop_marks=bool(self.crop_marks.data), max_per_region=self.max_per_region.data,
            patient_solidarity_day=self.patient_solidarity_day.data,
            partners=tuple(line.strip() for line in (self.partners.data or "").splitlines()
                           if line.strip()),
            output=self.output.data or "pdfx4")


class ImprintForm(FlaskForm):
    """The imprint (выходные сведения) printed at the foot of the calendar's back page."""

    publisher_ru = StringField(_l("Publisher (Russian)"), validators=[Optional(), Length(max=300)],
                               description=_l("Leave empty for the society's own name."))
    publisher_en = StringField(_l("Publisher (English)"), validators=[Optional(), Length(max=300)])
    print_run = IntegerField(_l("Print run, copies"), validators=[
        Optional(), NumberRange(1, 10_000_000, message=_l(
            "The print run is a number of copies from 1 to 10 000 000."))])
    printer_ru = StringField(_l("Printing house (Russian)"),
                             validators=[Optional(), Length(max=300)],
                             description=_l("Its name and town, e.g. “ООО «Печатный двор», "
                                            "Тверь”."))
    printer_en = StringField(_l("Printing house (English)"),
                             validators=[Optional(), Length(max=300)])
    order_number = StringField(_l("Order number"), validators=[Optional(), Length(max=40)],
                               description=_l("The printing house's order number (заказ №)."))
    signed_on = DateField(_l("Passed for printing on"), validators=[Optional()])

    def values(self) -> ImprintValues:
        return ImprintValues(
            publisher_ru=self.publisher_ru.data or "", publisher_en=self.publisher_en.data or "",
            print_run=self.print_run.data, printer_ru=self.printer_ru.data or "",
            printer_en=self.printer_en.data or "", order_number=self.order_number.data or "",
            signed_on=self.signed_on.data)


class PartnerForm(FlaskForm):
    """A partner thanked on the back page, with its logo."""

    name_ru = StringField(_l("Partner's name (Russian)"), validators=[REQUIRED, Length(max=200)])
    name_en = StringField(_l("Partner's name (English)"), validators=[Optional(), Length(max=200)])
    logo = FileField(_l("Logo (PNG or JPEG)"), validators=[
        FileRequired(message=_l("Please choose the logo's file."))],
        description=_l("Up to 5 MB, at least 100 pixels on its short side; a transparent "
                       "background prints as white paper."))


class TransferForm(Form):
    """One transfer of the decree: a day off moved from a weekend day to a working day."""

    moved_from = DateField(_l("Day off moved from"), validators=[Optional()])
    day_off = DateField(_l("to"), validators=[Optional()])


class DecreeForm(FlaskForm):
    """The government's decree moving the days off of one year."""

    reference = StringField(_l("The decree"), validators=[REQUIRED, Length(max=300)],
                            description=_l("Its title as published, e.g. “Постановление "
                                           "Правительства РФ от 24.09.2025 № 1466”."))
    transfers = FieldList(FormField(TransferForm), min_entries=6, max_entries=12)

    def __init__(self, year: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def pairs(self) -> list[tuple]:
        """The filled rows as (moved from, day off)."""
        return [(row.moved_from.data, row.day_off.data) for row in self.transfers
                if row.moved_from.data and row.day_off.data]

    def validate_transfers(self, field) -> None:
        for row in field:
            if bool(row.moved_from.data) != bool(row.day_off.data):
                row.day_off.errors.append(str(_l("Give both days, or neither.")))
        rows = [row for row in field if row.moved_from.data and row.day_off.data]
        for index in decree_problems(self.year, self.pairs()):
            rows[index].day_off.errors.append(str(_l(
                "A day off moves within %(year)s from a Saturday or Sunday to a working day.",
                year=self.year)))
        if any(row.day_off.errors for row in field):
            raise ValidationError(_l("Some transfers cannot be printed."))
