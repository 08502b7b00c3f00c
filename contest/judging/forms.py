from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..models import Contest, StageKind
from ..rules import MIN_JURORS_PER_ENTRY

# Words for the levels of the scale, by the level's place on it (0 = lowest, 1 = highest).
LEVEL_WORDS = ((0.0, _l("weak")), (0.3, _l("modest")), (0.5, _l("fair")), (0.7, _l("good")),
               (0.95, _l("very good")), (1.0, _l("excellent")))


def level_word(value: int, low: int, high: int) -> str:
    """The word for a mark: "weak" at the bottom of the scale, "excellent" at the top."""
    place = (value - low) / (high - low)
    return str(next(word for limit, word in LEVEL_WORDS if place <= limit + 1e-9))


def levels(contest: Contest) -> list[tuple[int, str]]:
    """Every mark of the contest's scale with its word, said once where a band starts (on a
    1–10 scale: 1 weak, 2 modest, 4 fair, ...): two marks with one word would not tell apart."""
    marks = range(contest.scale_min, contest.scale_max + 1)
    words = [level_word(v, contest.scale_min, contest.scale_max) for v in marks]
    return [(v, word if n == 0 or word != words[n - 1] else "")
            for n, (v, word) in enumerate(zip(marks, words, strict=True))]


def criterion_field(criterion) -> str:
    return f"c{criterion.id}"


def sheet_form(contest: Contest, stage_kind: StageKind, **kwargs) -> FlaskForm:
    """A score sheet: a required radio group per criterion, a comment, and for the national
    jury a calendar candidate box."""
    choices = [SelectChoice(str(v), f"{v} — {word}" if word else str(v))
               for v, word in levels(contest)]

    class SheetForm(FlaskForm):
        comment = TextAreaField(_l("Comment (optional, only the organizers see it)"),
                                validators=[Optional(), Length(max=2000)])

        def marks(self) -> dict[int, int]:
            return {c.id: int(self[criterion_field(c)].data) for c in contest.criteria}

    for c in contest.criteria:
        setattr(SheetForm, criterion_field(c), RadioField(
            c.name, choices=choices, description=c.local("description"),
            validators=[InputRequired(message=_l("Choose a mark."))]))
    if stage_kind is StageKind.NATIONAL:
        SheetForm.calendar_candidate = BooleanField(_l("Suggest for the calendar"))
    return SheetForm(**kwargs)


class SidewaysForm(FlaskForm):
    """A juror's "this drawing is sideways": nothing to fill in but the CSRF token."""


class ConflictForm(FlaskForm):
    note = StringField(_l("Why (for the coordinator, optional)"),
                       validators=[Optional(), Length(max=300)])
    withdraw = HiddenField()


class StatusForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])


class SettingsForm(FlaskForm):
    finalists_per_category = IntegerField(
        _l("Finalists per age category"), validators=[
            InputRequired(message=_l("Please fill this in.")),
            NumberRange(0, 100, message=_l("Between 0 and 100, please."))])
    jurors_per_entry = IntegerField(
        _l("Jurors per entry"), validators=[
            Optional(), NumberRange(MIN_JURORS_PER_ENTRY, 100, message=_l(
                "Between %(min)s and %(max)s jurors per entry, please."))],
        description=_l("Leave empty for every juror to score every entry. For a large stage, "
                       "entries are shared out evenly, each to this many jurors."))


class JurorForm(FlaskForm):
    juror = SelectField(_l("Juror"), coerce=int, validate_choice=True)


class OverrideForm(FlaskForm):
    finalist = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Give the reason for this decision.")), Length(max=1000)])
