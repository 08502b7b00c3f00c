from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..models import EntryStatus

MODERATION_CHOICES = [
    SelectChoice(EntryStatus.ACCEPTED.value, _l("Accept")),
    SelectChoice(EntryStatus.NEEDS_PHOTO.value, _l("Ask for a better photo")),
    SelectChoice(EntryStatus.REJECTED.value, _l("Reject")),
]


class ModerationForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=MODERATION_CHOICES,
                          validators=[InputRequired(message=_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason, for the family"), validators=[Optional()],
                           description=_l("Needed when rejecting or asking for a new photo. "
                                          "The family sees it on the status page."))
    note = TextAreaField(_l("Note for the staff"), validators=[Optional(), Length(max=2000)],
                         description=_l("For coordinators and organizers only: the family never "
                                        "sees it."))


class ClearFlagForm(FlaskForm):
    """Clearing a juror's sideways flag: nothing to fill in but the CSRF token."""


class RotateForm(FlaskForm):
    degrees = HiddenField(validators=[InputRequired()])


def _share(label):
    return FloatField(label, validators=[InputRequired(), NumberRange(0, 100)])


class MaskForm(FlaskForm):
    """A rectangle in per cent of the drawing's width and height."""

    x = _share(_l("Left, %"))
    y = _share(_l("Top, %"))
    w = _share(_l("Width, %"))
    h = _share(_l("Height, %"))


class BulkAcceptForm(FlaskForm):
    """Accept the ticked entries (their ids come as a list of ``entry`` values)."""
