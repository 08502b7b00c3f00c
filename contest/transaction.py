"""Where changes are committed: once, by whoever answers the person.

- Operations (the service modules and packages) change the session and ``flush``; they never
  commit. A refused change raises ``errors.RuleError`` before anything is written.
- A view commits once, with an explicit ``db.session.commit()`` after the operation succeeded,
  and rolls back when it refuses (flaskr's way: the commit is where the reader sees it). A
  request that ends without a commit writes nothing: the session is rolled back when the
  request ends. GET requests never write.
- A CLI command commits at its end, a job (``contest.jobs``, a periodic task, a mail
  delivery) when its work is done; a job that works through many rows may commit each, so
  that one failure does not undo the others.
- A message to a family is recorded by the operation that changes what it is about, and
  leaves only with that commit (``mail``), never from a rolled-back change.

The one exception is a step that stores or deletes files along with rows: the files and the
commit must be all or nothing, which a commit at the end of the request could not promise.
Such a step stores its files inside ``files_with_rows`` and deletes them with
``commit_then``, both of which commit themselves; ``tests/test_domain.py`` lists the few other
modules allowed to commit, with their reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

from .extensions import db
from .uploads.files import storage
from .uploads.storage import storing


@contextmanager
def files_with_rows(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]] = (),
                    then: Callable[[], None] | None = None) -> Iterator[None]:
    """Store ``files`` and commit the rows changed inside the ``with``: all or nothing.

    If storing a file, the body or the commit fails, the session is rolled back and every
    file already stored is deleted again. ``then`` runs only after the commit: it removes the
    files the rows no longer name (a replaced photo, an erased drawing), so a failed commit
    never leaves rows pointing at deleted files::

        with files_with_rows(entry_files(prefix, image), then=lambda: delete_files(old)):
            entry.image_key = prefix
    """
    try:
        with storing(storage(), files):
            yield
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if then is not None:
        then()


def commit_then(*deletions: Callable[[], None]) -> None:
    """Commit, then run ``deletions``: each deletes files the committed rows no longer name (an
    erased child's drawing, a withdrawn result). The rows go first: were the commit to fail,
    they would still name the files, which are therefore kept."""
    db.session.commit()
    for delete in deletions:
        delete()
