from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from .. import consents
from ..rules import OLDEST_AGE, YOUNGEST_AGE

REQUIRED = DataRequired(message=_l("Please fill this in."))


class PhotoRequired:
    """Marks the photo as required (the asterisk, the ``required`` flag). Whether one was given
    is for the view to say: a photo kept from the form's previous try counts (uploads.held)."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        pass


class SubmissionForm(FlaskForm):
    # One per rendering of the form (``family.new_submission_key``): sending it again finds the
    # entry the first sending stored.
    submission_key = HiddenField()
    region = SelectField(_l("Region"), coerce=int, validators=[REQUIRED])
    town = StringField(_l("Town or village"), validators=[REQUIRED, Length(max=120)])
    child_first_name = StringField(_l("Child's first name"), validators=[REQUIRED, Length(max=100)])
    child_last_name = StringField(_l("Child's last name"), validators=[REQUIRED, Length(max=100)])
    birth_date = DateField(_l("Birth date"), validators=[Optional()],
                           description=_l("Or give the age below."))
    age = IntegerField(_l("Age"), validators=[
        Optional(), NumberRange(YOUNGEST_AGE, OLDEST_AGE,
                                message=_l("An age between %(min)s and %(max)s, please."))])
    institution = StringField(_l("Kindergarten, school or art studio"),
                              validators=[Optional(), Length(max=250)])
    teacher = StringField(_l("Teacher"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Title of the drawing"), validators=[REQUIRED, Length(max=200)])
    title_en = StringField(_l("Title in English (if you like)"),
                           validators=[Optional(), Length(max=200)],
                           description=_l("Shown on the English pages, calendar and "
                                          "certificates."))
    description = TextAreaField(_l("A few words about the drawing"),
                                validators=[Optional(), Length(max=1000)])
    image = FileField(_l("Photo or scan of the drawing"), validators=[PhotoRequired()])
    guardian_name = StringField(_l("Parent's or guardian's full name"),
                                validators=[REQUIRED, Length(max=200)])
    guardian_email = EmailField(_l("Email"), validators=[
        Optional(), Email(message=_l("This does not look like an email address."))])
    guardian_phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    consent_personal_data = BooleanField(consents.PERSONAL_DATA.text)
    consent_show_name = BooleanField(consents.SHOW_NAME.text)
    consent_print = BooleanField(consents.PRINT.text)


class StatusForm(FlaskForm):
    code = StringField(_l("Tracking code"), validators=[REQUIRED, Length(max=40)])


class NewPhotoForm(FlaskForm):
    image = FileField(_l("A better photo or scan of the drawing"), validators=[
        FileRequired(message=_l("Please choose the photo of the drawing."))])


class BatchForm(FlaskForm):
    # As the single form's: sending the same batch again shows the codes the first sending got.
    submission_key = HiddenField()
    region = SelectField(_l("Region"), coerce=int, validators=[REQUIRED])
    town = StringField(_l("Town or village"), validators=[REQUIRED, Length(max=120)])
    institution = StringField(_l("Kindergarten, school or art studio"),
                              validators=[REQUIRED, Length(max=250)])
    teacher = StringField(_l("Teacher"), validators=[REQUIRED, Length(max=200)])
    email = EmailField(_l("E-mail for the list of codes"), validators=[
        Optional(), Length(max=254),
        Email(message=_l("This does not look like an email address."))],
        description=_l("We send the tracking codes there too, as a table for Excel."))
    sheet = FileField(_l("List of the children (CSV or XLSX)"), validators=[
        FileRequired(message=_l("Please choose the list of the children."))])
    archive = FileField(_l("The drawings (one ZIP archive)"), validators=[
        FileRequired(message=_l("Please choose the ZIP archive with the drawings."))])
    confirm = BooleanField(_l(
        "I confirm that the parents of every child in the list have signed the consents marked "
        "in it, and that I keep the signed forms."),
        validators=[DataRequired(message=_l("This confirmation is needed."))])


class LostCodeForm(FlaskForm):
    email = EmailField(_l("The e-mail address given with the drawing"), validators=[
        REQUIRED, Length(max=254), Email(message=_l("This does not look like an email address."))])


class FamilyRequestForm(FlaskForm):
    """A request from the status page. Without an address on file, the child's names (as
    given with the drawing) confirm it instead of a mailed link."""

    child_first_name = StringField(_l("Child's first name"), validators=[Optional(),
                                                                       Length(max=100)])
    child_last_name = StringField(_l("Child's last name"), validators=[Optional(),
                                                                     Length(max=100)])


class ConsentChangeForm(FamilyRequestForm):
    show_name = BooleanField(consents.SHOW_NAME.text)
    print = BooleanField(consents.PRINT.text)


class ConfirmForm(FlaskForm):
    """The button on a confirmation link's page: a GET never changes anything."""
