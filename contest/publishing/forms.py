from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

REQUIRED = DataRequired(message=_l("Please fill this in."))


class FactForm(FlaskForm):
    text_ru = TextAreaField(_l("Fact (Russian)"), validators=[REQUIRED, Length(max=400)],
                            description=_l("Short enough for a month page: up to 400 characters."))
    text_en = TextAreaField(_l("Fact (English)"), validators=[Optional(), Length(max=400)])
    source_ru = StringField(_l("Source (Russian)"), validators=[REQUIRED, Length(max=300)],
                            description=_l("Printed beside the fact, e.g. “IOF fact sheet”."))
    source_en = StringField(_l("Source (English)"), validators=[Optional(), Length(max=300)])
    active = BooleanField(_l("Offer this fact for calendars"), default=True)


LANGUAGE_CHOICES = [SelectChoice("ru", "Русский"), SelectChoice("en", "English")]


class CertificateBatchForm(FlaskForm):
    stage = SelectField(_l("Region"), coerce=int)
    language = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, default="ru")
