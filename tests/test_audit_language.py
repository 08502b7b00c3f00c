"""The audit log speaks the reader's language: what the system writes is kept as keys and
msgids, translated when shown; rows written before keep their text."""

from flask_babel import force_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest import audit
from contest.extensions import db
from contest.models import AuditLog, Phase, Role


def test_a_message_is_kept_as_its_msgid_and_said_in_each_readers_language(app, make):
    contest = make.contest(phase=Phase.CALENDAR)
    with app.test_request_context(), force_locale("ru"):  # a Russian organizer's action
        row = audit.record("calendar.override", contest, rule="complete", reason="так надо",
                           message=_l("Pages without a drawing: %(pages)s.", pages="1, 5"),
                           count=lazy_ngettext("%(num)s drawing", "%(num)s drawings", 3))
        db.session.commit()
    assert row.details["message"] == {"msgid": "Pages without a drawing: %(pages)s.",
                                      "params": {"pages": "1, 5"}}
    with app.test_request_context():
        with force_locale("en"):
            english = audit.details_text(row)
        with force_locale("ru"):
            russian = audit.details_text(row)
    assert "Pages without a drawing: 1, 5." in english and "every page has a drawing" in english
    assert "3 drawings" in english and "так надо" in english  # people's own words stay theirs
    assert "Страницы без рисунка: 1, 5." in russian
    assert "на каждой странице есть рисунок" in russian and "3 рисунка" in russian


def test_rows_written_before_still_show(app, make):
    contest = make.contest()
    old = AuditLog(contest_id=contest.id, action="calendar.override", object_type="contest",
                   object_id=contest.id, details={"rule": "complete", "message":
                                                  "Страницы без рисунка: январь."})
    broken = AuditLog(contest_id=contest.id, action="calendar.override", object_type="contest",
                      object_id=contest.id, details={"message": {"msgid": "Gone %(x)s",
                                                                 "params": {}}})
    db.session.add_all([old, broken])
    db.session.commit()
    with app.test_request_context(), force_locale("en"):
        assert "Страницы без рисунка: январь." in audit.details_text(old)
        assert "every page has a drawing" in audit.details_text(old)
        assert "Gone %(x)s" in audit.details_text(broken)  # no crash on a changed msgid


def test_the_log_page_in_english(client, make, login):
    contest = make.contest(phase=Phase.CALENDAR)
    entry = make.entry(contest)
    with force_locale("ru"):
        audit.record("entry.family_request", entry, what="erase", via="email")
        audit.record("calendar.override", contest, rule="consent",
                     message=_l("No consent to print: %(pages)s.", pages="2"))
    db.session.commit()
    login(make.user(Role.ORGANIZER))
    client.post("/language", data={"lang": "en"})
    page = client.get("/organizer/audit").data.decode()
    assert "erase the child&#39;s data" in page and "a link by email" in page
    assert "No consent to print: 2." in page and "Нет согласия" not in page
    client.post("/language", data={"lang": "ru"})
    page = client.get("/organizer/audit").data.decode()
    assert "удалить данные ребёнка" in page and "Нет согласия на печать: 2." in page
    assert db.session.scalars(select(AuditLog)).all()
