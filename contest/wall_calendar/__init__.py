"""The wall calendar: the winning drawings assembled on its pages, checked and exported.

- ``board``: the candidates, the thirteen pages (0 the cover) and the operations that fill them;
- ``options``: how to print, as the organizer chooses on the export form;
- ``rules``: the selection rules checked before an export, with their overrides;
- ``filling``: the empty pages filled from the jury's ranking with drawings that pass them;
- ``bridge``: the only module that speaks ``calendar_builder``'s specification: the pages as a
  ``CalendarSpec``, laid out once by the builder's plan for the checks and previews;
- ``exports``: the background job that builds the PDF, and the kept versions;
- ``days_off``: the government's decree of a year's days off;
- ``back_page``: the partners' logos and the imprint an edition's calendars print on the back.

A national calendar has ``region=None``; a region may print its own. Callers use the names
below (``contest.wall_calendar.check``, ...).
"""

from calendar_builder import GOOD_DPI, MIN_DPI

from .back_page import (
    LOGO_MAX_BYTES,
    MAX_LOGOS,
    ImprintValues,
    delete_files,
    imprint,
    partners,
    prepare_partner,
    remove_partner,
    save_imprint,
)
from .board import (
    COVER,
    MONTHS,
    NOT_A_CANDIDATE,
    PER_PAGE,
    SLOTS,
    CandidatePage,
    CandidateSearch,
    assign,
    board,
    candidate_page,
    candidates,
    consent_refusal,
    editions,
    honoured,
    is_candidate,
    page_name,
    printable,
    printed_entries,
    set_fact,
    suggest_facts,
)
from .bridge import (
    PLACEHOLDER,
    PUBLISHER,
    calendar_year,
    caption,
    marked_days,
    placements,
    plan,
    preview_png,
    to_spec,
)
from .days_off import (
    days_off_summary,
    decree,
    decree_problems,
    decree_transfers,
    known_years,
    save_decree,
)
from .exports import (
    EXPORT_FILES,
    OUTPUT_NAMES,
    export_file_key,
    export_job,
    history,
    print_output,
    start_export,
)
from .filling import Filled, fill_from_ranking, ranked
from .options import Options, options_from, options_params
from .rules import MIN_SHARE, RuleCheck, check, failing

__all__ = [
    "COVER", "EXPORT_FILES", "GOOD_DPI", "LOGO_MAX_BYTES", "MAX_LOGOS", "MIN_DPI", "MIN_SHARE",
    "MONTHS", "NOT_A_CANDIDATE", "OUTPUT_NAMES", "PER_PAGE", "CandidatePage",
    "CandidateSearch", "is_candidate", "candidate_page", "PLACEHOLDER", "PUBLISHER", "SLOTS",
    "Filled",
    "ImprintValues", "Options", "RuleCheck", "assign", "board", "delete_files", "imprint",
    "partners", "prepare_partner", "remove_partner", "save_imprint",
    "calendar_year", "candidates", "caption", "check", "consent_refusal", "days_off_summary",
    "decree", "decree_problems", "decree_transfers", "editions", "export_file_key",
    "export_job", "failing", "fill_from_ranking", "history", "honoured", "known_years",
    "marked_days", "options_from", "options_params", "page_name", "placements", "plan",
    "preview_png", "print_output", "printable", "printed_entries", "ranked", "save_decree",
    "set_fact", "start_export", "suggest_facts", "to_spec",
]
