from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..contests import DEADLINE_FIELDS, deadline_problems
from ..models import ROLE_LABELS, Role
from ..rules import (
    AGES_OUTSIDE_LIMITS,
    CONTACTS_KEPT_MONTHS,
    CONTACTS_KEPT_OUTSIDE_LIMITS,
    MAX_CONTACTS_KEPT_MONTHS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    OLDEST_AGE,
    WEIGHT_OUTSIDE_LIMITS,
    YOUNGEST_AGE,
)
from ..signatories import IMAGE_LIMITS, MAX_SIGNATORIES, NAME_LENGTH, TITLE_LENGTH, Signatory

NOT_EMPTY = DataRequired(message=_l("Please fill this in."))
# For dates: a typed but invalid date gets "not a valid date", not "please fill this in".
DATE_GIVEN = InputRequired(message=_l("Please fill this in."))


class ContestForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[
        InputRequired(message=_l("Please fill this in.")),
        NumberRange(2000, 2100, message=_l("A year between 2000 and 2100, please."))])
    title_ru = StringField(_l("Title (Russian)"), validators=[NOT_EMPTY, Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    theme_ru = StringField(_l("Theme (Russian)"), validators=[NOT_EMPTY, Length(max=300)])
    theme_en = StringField(_l("Theme (English)"), validators=[Optional(), Length(max=300)])
    motto_ru = StringField(_l("Motto (Russian)"), validators=[Optional(), Length(max=300)])
    motto_en = StringField(_l("Motto (English)"), validators=[Optional(), Length(max=300)])
    rules_ru = TextAreaField(_l("Rules (Russian, Markdown)"), validators=[Optional()])
    rules_en = TextAreaField(_l("Rules (English, Markdown)"), validators=[Optional()])
    submissions_open_on = DateField(_l("Submissions open"), validators=[DATE_GIVEN])
    submissions_close_on = DateField(_l("Submission deadline"), validators=[DATE_GIVEN])
    regional_judging_until = DateField(_l("Regional judging ends"), validators=[DATE_GIVEN])
    national_judging_until = DateField(_l("National judging ends"), validators=[DATE_GIVEN])
    results_on = DateField(_l("Results announced"), validators=[DATE_GIVEN])
    age_reference_date = DateField(
        _l("Ages are counted on"), validators=[DATE_GIVEN],
        description=_l("A child's age category follows from their age on this date."))
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[
        InputRequired(message=_l("Please fill this in.")), NumberRange(0, 100)])
    scale_max = IntegerField(_l("Highest score"), default=10, validators=[
        InputRequired(message=_l("Please fill this in.")), NumberRange(1, 100)])
    entries_per_child = IntegerField(_l("Drawings per child"), default=1, validators=[
        InputRequired(message=_l("Please fill this in.")),
        NumberRange(1, 10, message=_l("Between 1 and 10, please."))])
    juror_reminder_days = IntegerField(
        _l("Remind jurors, days before the deadline"), default=3, validators=[
            NumberRange(0, 30, message=_l("Between 0 and 30, please."))],
        description=_l("Jurors who still have drawings to score get an e-mail this many days "
                       "before their stage's judging ends; 0: no reminders."))
    contacts_kept_months = IntegerField(
        _l("Contacts kept after the results, months"), default=CONTACTS_KEPT_MONTHS,
        validators=[InputRequired(message=_l("Please fill this in.")), NumberRange(
            1, MAX_CONTACTS_KEPT_MONTHS, message=CONTACTS_KEPT_OUTSIDE_LIMITS)],
        description=_l("The email addresses and phone numbers of families whose child is "
                       "neither a finalist nor a winner are deleted this many months after the "
                       "national results are published. The privacy notice says so."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        dates: dict[str, date | None] = {
            name: getattr(self, name).data for name in (*DEADLINE_FIELDS, "age_reference_date")}
        for name, message in deadline_problems(dates).items():
            getattr(self, name).errors.append(message)
            ok = False
        if (self.scale_min.data is not None and self.scale_max.data is not None
                and self.scale_min.data >= self.scale_max.data):
            self.scale_max.errors.append(_l("Must be above the lowest score."))
            ok = False
        return ok

    def values(self) -> dict:
        return {name: field.data.strip() if isinstance(field.data, str) else field.data
                for name, field in self._fields.items() if name != "csrf_token"}


class AgeCategoryForm(FlaskForm):
    name_ru = StringField(_l("Name (Russian)"), validators=[NOT_EMPTY, Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=100)])
    min_age = IntegerField(_l("From age"), validators=[
        InputRequired(message=_l("Please fill this in.")),
        NumberRange(YOUNGEST_AGE, OLDEST_AGE, message=AGES_OUTSIDE_LIMITS)])
    max_age = IntegerField(_l("To age"), validators=[
        InputRequired(message=_l("Please fill this in.")),
        NumberRange(YOUNGEST_AGE, OLDEST_AGE, message=AGES_OUTSIDE_LIMITS)])


class CriterionForm(FlaskForm):
    name_ru = StringField(_l("Name (Russian)"), validators=[NOT_EMPTY, Length(max=150)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=150)])
    description_ru = TextAreaField(_l("What jurors look for (Russian)"), validators=[Optional()])
    description_en = TextAreaField(_l("What jurors look for (English)"), validators=[Optional()])
    weight = DecimalField(_l("Weight"), places=2, default=1, validators=[
        InputRequired(message=_l("Please fill this in.")),
        NumberRange(min=MIN_WEIGHT, max=MAX_WEIGHT, message=WEIGHT_OUTSIDE_LIMITS)])


class RegionsForm(FlaskForm):
    regions = SelectMultipleField(_l("Participating regions"), coerce=int,
                                  widget=widgets.ListWidget(prefix_label=False),
                                  option_widget=widgets.CheckboxInput())


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[NOT_EMPTY, Length(max=200)])
    email = EmailField(_l("Email"), validators=[
        NOT_EMPTY, Email(message=_l("This does not look like an email address."))])
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role])
    region = SelectField(_l("Region (for a coordinator)"), coerce=int, validate_choice=False,
                         default=0)
    stage = SelectField(_l("Stage (for a juror)"), coerce=int, validate_choice=False, default=0)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.role.data == Role.COORDINATOR.value and not self.region.data:
            self.region.errors.append(_l("Choose the coordinator's region."))
            ok = False
        if self.role.data == Role.JUROR.value and not self.stage.data:
            self.stage.errors.append(_l("Choose the stage this juror will judge."))
            ok = False
        return ok


class PhaseForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])


class CopyForm(FlaskForm):
    """The year of the edition to start from an earlier one."""

    year = IntegerField(_l("Year"), validators=[
        InputRequired(message=_l("Give the year.")),
        NumberRange(2000, 2100, message=_l("A year between %(min)s and %(max)s, please."))])


class CertificatePeopleForm(FlaskForm):
    """Who signs the edition's certificates (``signatories.MAX_SIGNATORIES`` rows of
    ``s<N>_...`` fields) and the logo printed at their top."""

    logo = FileField(_l("Logo (JPEG, PNG, WebP…, up to 5 MB)"))
    drop_logo = BooleanField(_l("Remove the logo"))

    def people(self) -> list[Signatory]:
        return [Signatory(name=self[f"s{n}_name"].data or "",
                          title_ru=self[f"s{n}_title_ru"].data or "",
                          title_en=self[f"s{n}_title_en"].data or "",
                          image=_read(self[f"s{n}_image"].data),
                          drop_image=bool(self[f"s{n}_drop"].data))
                for n in range(MAX_SIGNATORIES)]

    def logo_bytes(self) -> bytes | None:
        return _read(self.logo.data)


def _read(upload) -> bytes | None:
    """An uploaded file's bytes, at most a little over the images' cap (the pipeline refuses
    what is larger with its own message)."""
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.stream.read(IMAGE_LIMITS.max_bytes + 1) or None


for _n in range(MAX_SIGNATORIES):
    setattr(CertificatePeopleForm, f"s{_n}_name", StringField(
        _l("Name"), validators=[Optional(), Length(max=NAME_LENGTH)]))
    setattr(CertificatePeopleForm, f"s{_n}_title_ru", StringField(
        _l("Title (Russian)"), validators=[Optional(), Length(max=TITLE_LENGTH)]))
    setattr(CertificatePeopleForm, f"s{_n}_title_en", StringField(
        _l("Title (English)"), validators=[Optional(), Length(max=TITLE_LENGTH)]))
    setattr(CertificatePeopleForm, f"s{_n}_image", FileField(_l("Signature (an image)")))
    setattr(CertificatePeopleForm, f"s{_n}_drop", BooleanField(_l("Remove the signature")))
