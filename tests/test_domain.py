"""One domain error for a broken rule, shown by one helper; one place commits."""

import ast
from pathlib import Path

import pytest
from flask import get_flashed_messages
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import Form, StringField

from contest import accounts, batch, contests, entries, errors, transaction
from contest.entries import EntryError, ModerationClosed, family
from contest.extensions import db
from contest.models import EntryStatus, Message, Phase, Region
from contest.uploads import process_image
from contest.uploads.files import storage

from .factories import jpeg


class TwoFields(Form):
    name = StringField()
    email = StringField()


@pytest.mark.parametrize("error", [
    contests.RuleError("No."),
    accounts.AccountError("No."),
    batch.BatchError([batch.Problem(2, "a.jpg", "No.")]),
    EntryError({"": "No."}),
    ModerationClosed("No."),
    family.FamilyRequestError("No."),
])
def test_every_refusal_is_the_one_domain_error_with_its_message(error):
    assert isinstance(error, errors.RuleError)
    assert error.message == "No." == str(error)


def test_a_refusal_field_by_field_keeps_each_fields_message():
    error = EntryError({"email": "Wrong address.", "": "Closed."})
    assert error.errors == {"email": "Wrong address.", "": "Closed."}
    assert error.message == "Wrong address. Closed."


def test_show_puts_messages_beside_their_fields_and_flashes_the_rest(app):
    with app.test_request_context("/"):
        form = TwoFields()
        form.validate()
        errors.show(EntryError({"email": "Wrong address.", "": "Closed.",
                                "phone": "No phone."}), form)
        assert form.email.errors == ["Wrong address."]
        assert form.name.errors == []
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Closed."), ("error", "No phone.")]


def test_show_puts_a_message_about_no_field_beside_the_default_one(app):
    with app.test_request_context("/"):
        form = TwoFields()
        form.validate()
        errors.show(contests.RuleError("Too late.", "Ask the organizers."), form,
                    default=form.name)
        errors.show(contests.RuleError("Taken.", field="email"), form, default=form.name)
        assert form.name.errors == ["Too late.", "Ask the organizers."]
        assert form.email.errors == ["Taken."]
        assert get_flashed_messages() == []


def _messages() -> list[tuple[str, str]]:
    return [(m.kind, m.recipient) for m in db.session.scalars(select(Message).order_by(Message.id))]


def test_the_operation_that_stores_an_entry_mails_its_receipt(app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    details = make.details(make.region("RU-MOW"), guardian_email="mother@example.org")
    entries.submit(contest, details, process_image(jpeg(seed=77)))
    db.session.commit()
    assert _messages() == [("receipt", "mother@example.org")]


def test_the_operation_that_decides_on_an_entry_mails_the_decision(app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, guardian_email="father@example.org")
    assert _messages() == []  # the factory stores without a receipt
    entries.moderate(entry, EntryStatus.REJECTED, "Not a drawing about bones.")
    db.session.commit()
    assert _messages() == [("status", "father@example.org")]


# --- one place commits ------------------------------------------------------------------------

CONTEST = Path(__file__).resolve().parent.parent / "contest"

# Besides views (modules that make a Blueprint) and the transaction helper, the modules that may
# commit, and why (see contest/transaction.py).
MAY_COMMIT = {
    "cli.py": "command-line commands commit at their end",
    "demo.py": "the demo command commits as it loads each part",
    "jobs.py": "the job engine records each try's claim, heartbeat and outcome",
    "mail.py": "a message's delivery runs in the job worker and records each try",
}


def _commits(tree: ast.AST) -> bool:
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and node.func.attr == "commit" for node in ast.walk(tree))


def _is_view(tree: ast.AST) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint"
               for node in ast.walk(tree))


def test_operations_flush_and_only_views_commands_and_jobs_commit():
    committing = set()
    for path in sorted(CONTEST.rglob("*.py")):
        name = path.relative_to(CONTEST).as_posix()
        if name.startswith("migrations/") or name == "transaction.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if _commits(tree) and not _is_view(tree):
            committing.add(name)
    assert committing - set(MAY_COMMIT) == set(), "operations flush; the caller commits"
    assert set(MAY_COMMIT) - committing == set(), "no longer commits: take it off the list"


def test_files_and_rows_are_stored_together_or_not_at_all(app, make):
    taken = make.region("RU-MOW")
    store, ran = storage(), []
    with (pytest.raises(IntegrityError),
          transaction.files_with_rows({"entries/x/print.jpg": b"drawing"},
                                      then=lambda: ran.append("old files deleted"))):
        db.session.add(Region(code=taken.code, name_ru="Копия", name_en="Copy"))
    assert not store.exists("entries/x/print.jpg") and ran == []  # no file, the old ones kept
    with transaction.files_with_rows({"entries/y/print.jpg": b"drawing"},
                                     then=lambda: ran.append("old files deleted")):
        db.session.add(Region(code="RU-XX", name_ru="Новый", name_en="New"))
    assert store.exists("entries/y/print.jpg") and ran == ["old files deleted"]
    db.session.rollback()  # nothing left to undo: the rows were committed with the file
    assert db.session.scalar(select(Region).where(Region.code == "RU-XX")) is not None
