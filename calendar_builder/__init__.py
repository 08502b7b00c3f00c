"""Print-ready wall calendars from children's drawings. Never imports Flask or ``contest``."""
