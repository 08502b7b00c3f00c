"""Families learn of results and certificates by e-mail (a real SMTP server): the regional
results, then the national ones, each with what became of their drawing, the status page's
link and the certificate's or diploma's link (never the file); the jurors get a note."""

from flask_babel import force_locale

from contest import contests
from contest.codes import format_code
from contest.entries import moderate
from contest.extensions import db
from contest.judging import operations
from contest.models import EntryStatus, Phase, Role, StageStatus

from .test_judging_operations import closed_in_order


def _for(smtp, entry):
    (message,) = [m for m in smtp.to(entry.guardian_email)
                  if format_code(entry.code) in smtp.text(m)]
    return message


def test_regional_then_national_results_reach_each_family(app, make, smtp):
    contest, stage, (a, b, c), jurors = closed_in_order(make, finalists=2)
    c.locale = "en"
    for n, entry in enumerate((a, b, c)):
        entry.guardian_email = f"family{n}@example.org"
    db.session.commit()
    smtp.received.clear()
    operations.change_status(stage, StageStatus.PUBLISHED)
    db.session.commit()

    first = _for(smtp, a)
    assert first["Subject"] == "Опубликованы итоги регионального этапа"  # no code: previews
    text, html = smtp.text(first), smtp.html(first)
    assert "финалист" in text and f"/status/{a.code}" in text
    assert f"/status/{a.code}/certificate.pdf" in text and "Диплом" in text
    assert f'href="{app.config["PUBLIC_URL"]}/status/{a.code}/certificate.pdf"' in html
    assert not list(first.iter_attachments())  # a link, never the file
    english = smtp.text(_for(smtp, c))
    assert "not among the region's finalists" in english and "participation certificate" in english
    jurors_told = {m["To"] for m in smtp.received if "Опубликованы итоги:" in m["Subject"]}
    assert jurors_told == {j.email for j in jurors}

    national = contest.national_stage
    national_juror = make.user(Role.JUROR, stage=national)
    contests.change_phase(contest, Phase.NATIONAL_JUDGING)
    national.finalists_per_category = 1
    operations.change_status(national, StageStatus.JUDGING_OPEN)
    criteria = {cr.id: 5 for cr in contest.criteria}
    operations.save_sheet(national, national_juror, b, {**criteria, contest.criteria[0].id: 9})
    operations.save_sheet(national, national_juror, a, criteria)
    operations.change_status(national, StageStatus.JUDGING_CLOSED)
    db.session.commit()
    smtp.received.clear()
    operations.change_status(national, StageStatus.PUBLISHED)
    db.session.commit()
    winner, runner_up = smtp.text(_for(smtp, b)), smtp.text(_for(smtp, a))
    assert "среди победителей" in winner and "Диплом" in winner
    assert "финалистом национального этапа" in runner_up
    assert smtp.to(c.guardian_email) == []  # not in the national stage: nothing new to say


def test_an_accepted_drawings_certificate_link_comes_with_the_decision(app, make, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, guardian_email="mama@example.org")
    coordinator = make.user(Role.COORDINATOR, region=entry.stage.region)
    with app.test_request_context(), force_locale("ru"):
        from flask_login import login_user

        login_user(coordinator)
        moderate(entry, EntryStatus.ACCEPTED, "")
        db.session.commit()  # as the request does
    (message,) = smtp.to("mama@example.org")
    text = smtp.text(message)
    assert "Сертификат участника готов" in text
    assert f"/status/{entry.code}/certificate.pdf" in text and not list(message.iter_attachments())
