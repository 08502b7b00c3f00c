"""The juries' work: stages opened and closed, sheets saved, results computed and published.

Views call these functions as ``operations.save_sheet`` and so on; each rule lives here once.
They change the session and record decisions in the audit log; the caller commits. A refused
change raises ``RuleError`` with the reason in the user's language.

A stage goes MODERATION → JUDGING_OPEN ⇄ JUDGING_CLOSED → PUBLISHED. Marks can change only
while judging is open; closing computes the results (``results.compute_results``) and stores
them; publishing freezes them with their method version and gives the finalists their award,
which also puts them in the national stage's pool. Reopening forgets the computed results but
not the staff's decisions on finalists: closing again applies them to the new results.

- ``pool``: the entries a stage judges, a juror's share of them and their progress.
- ``sheets``: a juror's marks and comment; conflicts of interest.
- ``jury``: the jurors of a stage, their assignments and the stage's settings.
- ``lifecycle``: the stage's moves, computing, storing and publishing the results.
- ``ranking``: the stored results as the staff read them; their decisions on finalists.
- ``exports``: the results as a table for CSV and XLSX.
- ``public``: published results for the public pages and the families.
"""

from .exports import (
    DECIDED_LABELS,
    MAKERS,
    SHEET_MARKERS,
    decided_label,
    exported_in_background,
    table,
    to_csv,
    to_xlsx,
)
from .jury import (
    add_juror,
    juror_progress,
    jurors_to_add,
    remove_juror,
    sync_assignments,
    update_settings,
)
from .lifecycle import (
    CLOSE_CALL_SHARE,
    JUDGING_PHASE,
    STATUS_MOVES,
    calendar_proposals,
    change_status,
    close_call_margin,
    compute,
    status_problems,
)
from .pool import (
    Progress,
    in_pool,
    judged_by,
    juror_entries,
    juror_entry,
    next_unscored,
    pool_size,
    pooled_entries,
    progress,
    sheet_of,
    sheets_by_entry,
)
from .public import editions_with_results, juries_done, published_at, published_finalists
from .ranking import (
    FinalistCount,
    category_counts,
    entry_titles,
    finalist_counts,
    forget_texts,
    juror_stats,
    override,
    placement,
    placements,
    stored_results,
)
from .sheets import conflicts, declare_conflict, save_sheet, withdraw_conflict

__all__ = [
    "CLOSE_CALL_SHARE",
    "DECIDED_LABELS",
    "MAKERS",
    "exported_in_background",
    "JUDGING_PHASE",
    "SHEET_MARKERS",
    "STATUS_MOVES",
    "FinalistCount",
    "Progress",
    "add_juror",
    "calendar_proposals",
    "category_counts",
    "change_status",
    "close_call_margin",
    "compute",
    "conflicts",
    "declare_conflict",
    "decided_label",
    "editions_with_results",
    "entry_titles",
    "finalist_counts",
    "forget_texts",
    "in_pool",
    "judged_by",
    "juries_done",
    "juror_entries",
    "juror_entry",
    "juror_progress",
    "juror_stats",
    "jurors_to_add",
    "next_unscored",
    "override",
    "placement",
    "placements",
    "pool_size",
    "pooled_entries",
    "progress",
    "published_at",
    "published_finalists",
    "remove_juror",
    "save_sheet",
    "sheet_of",
    "sheets_by_entry",
    "status_problems",
    "stored_results",
    "sync_assignments",
    "table",
    "to_csv",
    "to_xlsx",
    "update_settings",
    "withdraw_conflict",
]
