"""Text from people is cleaned once, by field, before anything stores or sends it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contest import text


@pytest.mark.parametrize("typed, stored", [
    ("Молоко\nи солнце", "Молоко и солнце"),
    ("Молоко\r\n\r\nи\tсолнце ", "Молоко и солнце"),
    ("  Маша\u2028Иванова\x00", "Маша Иванова"),
    ("drawing\u202egpj.exe", "drawinggpj.exe"),
    ("е\u0308ж", "ёж"),  # composed, as keyboards write it
])
def test_one_line_fields(typed, stored):
    assert text.clean("title", typed) == stored
    assert text.clean("guardian_name", typed) == stored


def test_paragraphs_keep_their_line_breaks():
    assert text.clean("description", "Первая строка\r\nвторая  \rтретья\x07\n") == (
        "Первая строка\nвторая\nтретья")


def test_addresses_keep_a_line_break_for_their_validators_to_refuse():
    assert text.clean("guardian_email", " anna@example.org\n") == "anna@example.org"
    assert text.clean("guardian_email", "anna@example.org\nBcc: x@example.org") == (
        "anna@example.org\nBcc: x@example.org")
    assert text.clean("guardian_email", "an\x00na@example.org") == "anna@example.org"


def test_passwords_are_never_changed():
    assert text.clean("password", " pass\tword\n") == " pass\tword\n"


@given(st.text())
def test_no_one_line_field_ever_holds_a_line_break_or_a_control(value):
    cleaned = text.clean("title", value)
    assert not text.has_line_break(cleaned)
    assert cleaned == cleaned.strip()
    assert text.clean("title", cleaned) == cleaned  # cleaning twice changes nothing


@given(st.text())
def test_no_field_keeps_a_nul(value):
    for field in ("title", "description", "guardian_email"):
        assert "\x00" not in text.clean(field, value)


def test_every_form_is_cleaned_before_a_view_sees_it(app):
    with app.test_request_context("/", method="POST", data={
            "title": "Молоко\nи солнце", "description": "a\r\nb", "password": " p\n"}):
        from flask import request

        assert request.form["title"] == "Молоко и солнце"
        assert request.form["description"] == "a\nb"
        assert request.form["password"] == " p\n"


def test_the_command_line_cleans_and_checks_an_account(runner):
    from contest.extensions import db
    from contest.models import User

    result = runner.invoke(args=["users", "create", "--role", "organizer", "--email",
                                 "org@example.org", "--name", "Анна\nПетрова", "--password",
                                 "a long password"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User.name)) == "Анна Петрова"
    result = runner.invoke(args=["users", "create", "--role", "organizer", "--email",
                                 "x@example.org\nBcc: y@example.org", "--name", "X",
                                 "--password", "a long password"])
    assert result.exit_code != 0 and "адрес электронной почты" in result.output
