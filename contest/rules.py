"""The contest's fixed limits, each defined once with the message that explains it: operations,
forms, the schema and the tests read them here. Changing a limit needs a migration for its
check constraint in models.py."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l

# The youngest and oldest child an age category may take in (and so any entry).
YOUNGEST_AGE = 3
OLDEST_AGE = 18
AGES_OUTSIDE_LIMITS = _l("Ages must be between %(min)s and %(max)s.")

# A scoring criterion's weight (the column holds up to 9999.99).
MIN_WEIGHT = Decimal("0.01")
MAX_WEIGHT = Decimal(1000)
WEIGHT_OUTSIDE_LIMITS = _l("A weight must be a positive number from %(min)s to %(max)s.")

# A stage that shares its entries out gives each entry to at least this many jurors.
MIN_JURORS_PER_ENTRY = 3
TOO_FEW_JURORS = _l("Each entry needs at least %(min)s jurors.")

# How long the contacts of families whose child won nothing are kept once the national
# results are published, in months: an edition's default, and the most it may choose.
CONTACTS_KEPT_MONTHS = 6
MAX_CONTACTS_KEPT_MONTHS = 60
CONTACTS_KEPT_OUTSIDE_LIMITS = _l("Between %(min)s and %(max)s months, please.")
