"""Entries: the drawings children send, from submission to the family's rights over their data.

- ``submission``: the contest's rules for an entry (``check``), and storing entries with their
  files (``submit``, ``submit_many`` for a school's batch, ``store_many`` outside the window).
- ``moderation``: the coordinator's decisions while the region's moderation lasts.
- ``images``: the stored drawing turned, masked, or replaced by the family's better photo.
- ``privacy``: what public pages may show, a family's copy or erasure of their data, and how
  long their contacts are kept.

Where the files live (the storage, the image keys) is ``contest.uploads.files``. Views, the
batch, the demo and the command line call the names below as ``entries.submit`` and so on.
"""

from .images import (
    MIN_MASK,
    clear_sideways,
    delete_files,
    flag_sideways,
    mask_box,
    replace_image,
    rotate_entry,
    set_masks,
    turn_refused,
)
from .moderation import (
    SORTS,
    ListQuery,
    ModerationClosed,
    accept_all,
    counts_by_contest,
    counts_by_stage,
    may_send_new_photo,
    moderate,
    moderation_closed,
    moderation_list,
    next_waiting,
    require_moderation_open,
    status_counts,
    still_stored,
)
from .privacy import (
    ERASED_BY,
    caption,
    contacts_kept,
    contacts_purged_on,
    drawing_shown_publicly,
    erase_personal_data,
    name_shown,
    personal_data,
    purge_contacts,
    purge_due_contacts,
)
from .submission import (
    DUPLICATE_IMAGE,
    EntryDetails,
    EntryError,
    check,
    check_all,
    child_key,
    contact_problems,
    find_by_code,
    folded,
    sent_in_batch,
    sent_with_key,
    store_many,
    submissions_open,
    submit,
    submit_many,
)

__all__ = [
    "clear_sideways",
    "flag_sideways",
    "turn_refused",
    "DUPLICATE_IMAGE",
    "ERASED_BY",
    "MIN_MASK",
    "EntryDetails",
    "EntryError",
    "ModerationClosed",
    "caption",
    "check",
    "check_all",
    "child_key",
    "contact_problems",
    "contacts_kept",
    "contacts_purged_on",
    "delete_files",
    "drawing_shown_publicly",
    "erase_personal_data",
    "find_by_code",
    "folded",
    "mask_box",
    "may_send_new_photo",
    "moderate",
    "moderation_closed",
    "moderation_list",
    "ListQuery",
    "SORTS",
    "accept_all",
    "counts_by_contest",
    "counts_by_stage",
    "still_stored",
    "sent_in_batch",
    "sent_with_key",
    "name_shown",
    "next_waiting",
    "personal_data",
    "purge_contacts",
    "purge_due_contacts",
    "replace_image",
    "require_moderation_open",
    "rotate_entry",
    "set_masks",
    "status_counts",
    "store_many",
    "submissions_open",
    "submit",
    "submit_many",
]
