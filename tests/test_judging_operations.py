"""The juries' service: stage life, sheets, conflicts, results from the database, advancing."""

import io
from datetime import timedelta

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from contest import contests
from contest.contests import RuleError
from contest.extensions import db
from contest.judging import operations
from contest.judging.models import Assignment, Placement, Sheet, StageResult
from contest.judging.results import RESULTS_VERSION
from contest.models import AuditLog, Award, EntryStatus, Phase, Role, StageStatus
from contest.rules import MIN_JURORS_PER_ENTRY

from .factories import judging_stage, score
from .judging.stages import national_stage

CLOSED, OPEN, PUBLISHED = (StageStatus.JUDGING_CLOSED, StageStatus.JUDGING_OPEN,
                           StageStatus.PUBLISHED)


def closed_in_order(make, finalists: int):
    """A closed stage whose three entries rank a, b, c (one juror's 9, 8, 7 on the theme)."""
    contest, stage, (a, b, c), jurors = judging_stage(make)
    for n, entry in enumerate((a, b, c)):
        score(stage, jurors[0], entry, 9 - n, 5, 5)
    stage.finalists_per_category = finalists
    operations.change_status(stage, CLOSED)
    return contest, stage, (a, b, c), jurors


def ranked(stage) -> list[int]:
    return [p.entry_id for p in db.session.scalars(
        select(Placement).where(Placement.stage_id == stage.id).order_by(Placement.rank))]


def test_opening_needs_the_phase_jurors_and_finished_moderation(make):
    contest, stage, entries, jurors = judging_stage(make, open_judging=False)
    assert not operations.status_problems(stage, OPEN)
    contest.phase = Phase.SUBMISSIONS_OPEN
    make.entry(contest, "RU-MOW")  # still waiting for moderation
    with force_locale("en"):
        problems = " ".join(operations.status_problems(stage, OPEN))
        assert "moderation" in problems and "phase" in problems
        empty = make.stage(contest, "RU-TA")
        assert "no jurors" in " ".join(operations.status_problems(empty, OPEN))
    with pytest.raises(RuleError):
        operations.change_status(stage, OPEN)
    assert operations.status_problems(stage, PUBLISHED)  # one step at a time


def test_a_drawing_waiting_for_a_better_photo_holds_judging_back(make):
    contest, stage, entries, jurors = judging_stage(make, open_judging=False)
    entries[0].status = EntryStatus.NEEDS_PHOTO  # the family could never send it afterwards
    with force_locale("en"):
        assert "better photo: 1" in " ".join(operations.status_problems(stage, OPEN))


def test_a_hand_computed_stage_with_a_lenient_and_a_harsh_juror(make):
    """Criteria weigh 2, 1, 1. Totals: lenient juror 9, 8, 7; harsh juror 5, 4, 3."""
    contest, stage, (a, b, c), (lenient, harsh, third) = judging_stage(make)
    operations.remove_juror(stage, third)
    for entry, high, low in [(a, 9, 5), (b, 8, 4), (c, 7, 3)]:
        score(stage, lenient, entry, high, high, high)
        score(stage, harsh, entry, low, low, low)
    stage.finalists_per_category = 1
    operations.change_status(stage, CLOSED)
    assert ranked(stage) == [a.id, b.id, c.id]
    top = operations.placement(stage, a.id)
    assert top.raw_mean == pytest.approx(7.0)  # (9 + 5) / 2
    # both jurors' z-scores are +1.22; the stage's totals have mean 6 and spread 2.16
    assert top.adjusted_mean == pytest.approx(6 + 1.2247449 * 2.1602469)
    assert [line["juror"] for line in top.sheets] == ["A", "B"]
    assert top.finalist and not operations.placement(stage, b.id).finalist
    stored = db.session.get(StageResult, stage.id)
    assert stored.version == RESULTS_VERSION and stored.published_at is None


def test_missing_and_incomplete_sheets_and_conflicts_do_not_count(make):
    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    score(stage, j1, a, 10, 10, 10)
    score(stage, j2, a, 2, 2, 2)
    operations.declare_conflict(stage, j2, a, "my pupil")  # marked, then declared: left out
    operations.save_sheet(stage, j3, a, {contest.criteria[0].id: 5})  # incomplete
    score(stage, j1, b, 4, 4, 4)
    operations.change_status(stage, CLOSED)
    placed = operations.placement(stage, a.id)
    assert placed.jurors == 1 and placed.raw_mean == pytest.approx(10)
    assert placed.conflicts == 1
    assert {line["status"] for line in placed.sheets} == {"complete", "conflict", "incomplete"}
    assert operations.placement(stage, c.id).jurors == 0  # unscored: last, never a finalist
    assert ranked(stage)[-1] == c.id and not operations.placement(stage, c.id).finalist
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "sheet.conflict"))


def test_ties_follow_the_documented_order(make):
    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    b.submitted_at = a.submitted_at - timedelta(hours=1)  # b came first
    for juror in (j1, j2, j3):
        for entry in (a, b, c):
            score(stage, juror, entry, 6, 6, 6)
    operations.change_status(stage, CLOSED)
    assert ranked(stage) == [b.id, a.id, c.id]
    assert operations.placement(stage, a.id).decided_by == "submitted"
    assert operations.placement(stage, c.id).decided_by == "submitted"


def test_marks_can_change_only_while_judging_is_open(make):
    contest, stage, (a, *_), (j1, *_) = judging_stage(make)
    score(stage, j1, a, 3, 3, 3)
    score(stage, j1, a, 8, 8, 8)  # revised
    assert operations.sheet_of(stage, j1, a).mark(contest.criteria[0].id) == 8
    operations.change_status(stage, CLOSED)
    for change in (lambda: score(stage, j1, a, 1, 1, 1),
                   lambda: operations.declare_conflict(stage, j1, a),
                   lambda: operations.withdraw_conflict(stage, j1, a)):
        with pytest.raises(RuleError):
            change()
    with pytest.raises(RuleError):
        operations.save_sheet(stage, j1, a, {contest.criteria[0].id: 11})


def test_marks_off_the_scale_are_refused(make):
    contest, stage, (a, *_), (j1, *_) = judging_stage(make)
    with pytest.raises(RuleError):
        operations.save_sheet(stage, j1, a, {contest.criteria[0].id: contest.scale_max + 1})
    with pytest.raises(RuleError):
        operations.save_sheet(stage, j1, a, {999_999: 5})


def test_reopening_forgets_the_results_and_publishing_freezes_them(make):
    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    for n, entry in enumerate((a, b, c)):
        score(stage, j1, entry, 5 + n, 5, 5)
    operations.change_status(stage, CLOSED)
    operations.change_status(stage, OPEN)
    assert db.session.get(StageResult, stage.id) is None and not ranked(stage)
    score(stage, j2, a, 10, 10, 10)  # a single total says nothing of a juror's leniency
    operations.update_settings(stage, 2, None)
    operations.change_status(stage, CLOSED)
    operations.change_status(stage, PUBLISHED)
    stored = db.session.get(StageResult, stage.id)
    assert stored.published_at and stored.finalists == sorted([b.id, c.id])
    assert stored.data["version"] == RESULTS_VERSION
    assert c.award is Award.FINALIST and a.award is None
    assert c.public_status.key == "finalist" and a.public_status.key == "accepted"
    assert operations.STATUS_MOVES[PUBLISHED] == ()
    with pytest.raises(RuleError):
        operations.change_status(stage, OPEN)
    with pytest.raises(RuleError):
        operations.override(stage, c.id, True, "late")
    with pytest.raises(RuleError):
        operations.update_settings(stage, 5, None)


def test_overrides_need_a_reason_and_are_audited(make):
    contest, stage, (a, b, c), (j1, *_) = closed_in_order(make, finalists=1)
    with pytest.raises(RuleError):
        operations.override(stage, b.id, True, "  ")
    operations.override(stage, b.id, True, "Лучшая техника в категории")
    operations.override(stage, a.id, False, "Работа срисована")
    operations.change_status(stage, PUBLISHED)
    assert (a.award, b.award) == (None, Award.FINALIST)
    logged = db.session.scalars(select(AuditLog).where(AuditLog.action == "stage.override")).all()
    assert [row.details["reason"] for row in logged] == ["Лучшая техника в категории",
                                                         "Работа срисована"]


def test_finalists_go_on_to_the_national_stage_whose_winners_are_chosen(make):
    contest, stage, (a, b, c), (j1, *_) = closed_in_order(make, finalists=2)
    national = contest.national_stage
    make.user(Role.JUROR, stage=national)
    with force_locale("en"):
        problems = contests.phase_problems(contest, Phase.NATIONAL_JUDGING)
    assert any("not published" in p for p in problems)
    operations.change_status(stage, PUBLISHED)  # the other regions have no entries to wait for
    contests.change_phase(contest, Phase.NATIONAL_JUDGING)
    national_juror = national.jurors[0]
    pool = db.session.scalars(operations.juror_entries(national, national_juror)).all()
    assert {e.id for e in pool} == {a.id, b.id}
    assert contests.phase_problems(contest, Phase.CALENDAR)
    national.finalists_per_category = 1
    operations.change_status(national, OPEN)
    criteria = {cr.id: 5 for cr in contest.criteria}
    operations.save_sheet(national, national_juror, b, {**criteria, contest.criteria[0].id: 9},
                          calendar_candidate=True)
    operations.save_sheet(national, national_juror, a, criteria)
    operations.change_status(national, CLOSED)
    operations.change_status(national, PUBLISHED)
    assert (a.award, b.award) == (Award.FINALIST, Award.WINNER)
    assert b.public_status.key == "winner" and b.calendar_candidate and not a.calendar_candidate
    assert not contests.phase_problems(contest, Phase.CALENDAR)


def test_a_removed_jurors_marks_no_longer_count(make):
    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    score(stage, j1, a, 9, 9, 9)
    score(stage, j2, a, 1, 1, 1)
    operations.remove_juror(stage, j2)
    operations.change_status(stage, CLOSED)
    assert operations.placement(stage, a.id).raw_mean == pytest.approx(9)
    assert db.session.scalar(select(Sheet).where(Sheet.juror_id == j2.id))  # kept, not counted


def test_each_entry_needs_the_least_number_of_jurors(make):
    contest, stage, entries, jurors = judging_stage(make, open_judging=False)
    with pytest.raises(RuleError, match=f"не меньше {MIN_JURORS_PER_ENTRY} членов жюри"):
        operations.update_settings(stage, 3, MIN_JURORS_PER_ENTRY - 1)
    assert stage.jurors_per_entry is None
    operations.update_settings(stage, 3, MIN_JURORS_PER_ENTRY)
    assert stage.jurors_per_entry == MIN_JURORS_PER_ENTRY


def test_jurors_per_entry_shares_the_entries_out_and_rebalances(make):
    contest, stage, entries, jurors = judging_stage(make, entries=8, jurors=4, open_judging=False)
    operations.update_settings(stage, 3, 3)
    operations.change_status(stage, OPEN)

    def load():
        rows = db.session.execute(select(Assignment.juror_id, Assignment.entry_id)
                                  .where(Assignment.stage_id == stage.id)).all()
        return {j.id: sum(1 for r in rows if r[0] == j.id) for j in stage.jurors}

    assert sum(load().values()) == 24 and max(load().values()) - min(load().values()) <= 1
    first = operations.next_unscored(stage, jurors[0])
    assert operations.progress(stage, jurors[0]).total == load()[jurors[0].id]
    newcomer = make.user(Role.JUROR)
    operations.add_juror(stage, newcomer)
    assert load()[newcomer.id] in (4, 5) and sum(load().values()) == 24
    operations.remove_juror(stage, jurors[1])
    assert jurors[1].id not in load() and sum(load().values()) == 24
    assert first is not None
    outside = next(e for e in entries
                   if operations.juror_entry(stage, newcomer, e.id) is None)
    assert outside is not None  # a juror sees only their share


def test_save_and_next_serves_the_next_unscored_entry_and_counts_progress(make):
    contest, stage, (a, b, c), (j1, *_) = judging_stage(make)
    assert operations.next_unscored(stage, j1) == a
    score(stage, j1, a, 5, 5, 5)
    assert operations.next_unscored(stage, j1, after=a) == b
    assert operations.next_unscored(stage, j1, after=c) == b  # wraps round to what is left
    operations.declare_conflict(stage, j1, b)
    assert operations.progress(stage, j1) == operations.Progress(2, 3)
    score(stage, j1, c, 5, 5, 5)
    assert operations.next_unscored(stage, j1, after=c) is None


def test_results_export_as_csv_and_xlsx(make):
    contest, stage, (a, b, c), (j1, j2, _) = judging_stage(make)
    a.title = '=HYPERLINK("http://evil.example","Кости")'  # typed by the public
    score(stage, j1, a, 8, 8, 8)
    score(stage, j2, a, 6, 6, 6)
    operations.change_status(stage, CLOSED)
    text = operations.to_csv(stage).decode("utf-8-sig")
    header, first, *_ = text.splitlines()
    assert "Член жюри A: сумма" in header and header.endswith("Член жюри C: скорректированная сумма")
    assert first.split(";")[2] == str(a.id) and ";7,00;" in first  # Russian Excel reads a number, two decimals in every figure
    with force_locale("en"):
        assert ";7.00;" in operations.to_csv(stage).decode("utf-8-sig").splitlines()[1]
    assert a.code not in text  # the tracking code opens the family's status page
    assert "'=HYPERLINK" in first  # a text, never a formula
    book = load_workbook(io.BytesIO(operations.to_xlsx(stage)))
    rows = list(book.active.values)
    assert len(rows) == 4 and rows[1][2] == a.id and rows[1][3] == a.title
    assert book.active.cell(2, 4).data_type == "s"


def test_rejected_entries_drop_out_of_the_pool(make):
    contest, stage, (a, b, c), (j1, *_) = judging_stage(make)
    score(stage, j1, a, 8, 8, 8)
    a.status = EntryStatus.REJECTED
    operations.change_status(stage, CLOSED)
    assert a.id not in ranked(stage) and len(ranked(stage)) == 2


def test_erasing_a_childs_data_blanks_what_people_wrote_but_keeps_the_results(make):
    from contest import entries

    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    score(stage, j1, a, 8, 8, 8, comment="Соня Белова рисует лучше всех")
    score(stage, j2, a, 6, 6, 6)
    operations.declare_conflict(stage, j3, a, "Соня Белова — моя ученица")
    for juror, mark in ((j1, 5), (j2, 4), (j3, 3)):
        score(stage, juror, b, mark, mark, mark)
    operations.change_status(stage, CLOSED)
    operations.override(stage, a.id, False, "Соня Белова срисовала с открытки")
    db.session.commit()
    before = [(p.entry_id, p.rank, p.adjusted_mean) for p in
              db.session.scalars(select(Placement).where(Placement.stage_id == stage.id))]

    entries.erase_personal_data(a)

    assert not any("Соня" in (s.comment + s.conflict_note)
                   for s in db.session.scalars(select(Sheet).where(Sheet.entry_id == a.id)))
    assert operations.placement(stage, a.id).override_reason == "—"
    assert operations.placement(stage, a.id).finalist_override is False  # the decision stays
    assert not any("Соня" in str(row.details) for row in db.session.scalars(select(AuditLog)))
    assert [(p.entry_id, p.rank, p.adjusted_mean) for p in db.session.scalars(
        select(Placement).where(Placement.stage_id == stage.id))] == before


def test_erasing_a_rejected_entry_blanks_the_coordinators_reason(make):
    from contest import entries

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, "RU-MOW")
    entries.moderate(entry, EntryStatus.REJECTED, "Соня, рисунок не по теме")
    entries.erase_personal_data(entry)
    assert entry.status_reason == "" and entry.status is EntryStatus.REJECTED
    assert not any("Соня" in str(row.details) for row in db.session.scalars(select(AuditLog)))


def test_reopening_keeps_the_staff_decisions_for_the_entries_still_judged(make):
    contest, stage, (a, b, c), (j1, *_) = closed_in_order(make, finalists=1)
    assert ranked(stage) == [a.id, b.id, c.id]
    operations.override(stage, a.id, False, "Срисовано с открытки")
    operations.override(stage, b.id, True, "Лучшая техника")
    operations.override(stage, c.id, True, "Сильная работа")
    assert operations.finalist_counts(stage)[a.age_category_id] == operations.FinalistCount(2, 3)
    operations.change_status(stage, OPEN)
    assert db.session.get(StageResult, stage.id) is None
    operations.declare_conflict(stage, j1, b)  # b has no counted score any more
    operations.change_status(stage, CLOSED)

    assert ranked(stage) == [a.id, c.id, b.id]
    pa, pb, pc = (operations.placement(stage, e.id) for e in (a, b, c))
    assert pa.computed_finalist and pa.finalist_override is False and not pa.finalist
    assert pa.override_reason == "Срисовано с открытки"
    assert pc.finalist and pc.override_reason == "Сильная работа"
    # an entry without any counted score cannot be a finalist: that decision is dropped
    assert pb.jurors == 0 and pb.finalist_override is None and not pb.finalist
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "stage.override_dropped"))
    assert operations.finalist_counts(stage)[a.age_category_id] == operations.FinalistCount(1, 2)
    operations.change_status(stage, PUBLISHED)
    assert db.session.get(StageResult, stage.id).finalists == [c.id]


def test_a_decision_on_an_entry_gone_from_the_pool_goes_with_it(make):
    contest, stage, (a, b, c), (j1, *_) = judging_stage(make)
    for entry in (a, b, c):
        score(stage, j1, entry, 5, 5, 5)
    operations.change_status(stage, CLOSED)
    operations.override(stage, a.id, False, "Не по теме")
    operations.change_status(stage, OPEN)
    a.status = EntryStatus.REJECTED
    operations.change_status(stage, CLOSED)
    assert sorted(ranked(stage)) == sorted([b.id, c.id])
    assert operations.placement(stage, a.id) is None


def test_the_export_says_why_a_jurors_cells_are_empty(make):
    contest, stage, (a, b, c), (j1, j2, j3) = judging_stage(make)
    score(stage, j1, a, 8, 8, 8)
    operations.declare_conflict(stage, j2, a, "моя ученица")
    operations.save_sheet(stage, j3, a, {contest.criteria[0].id: 5})  # incomplete
    operations.change_status(stage, CLOSED)
    header, first, *_ = operations.table(stage)
    cells = dict(zip(header, first, strict=True))
    assert [cells[f"Член жюри {x}: сумма"] for x in "ABC"] == [8.0, "конфликт", "не полностью"]
    assert cells["Член жюри B: скорректированная сумма"] == "конфликт"
    assert cells["Финалист"] == "да"
    assert "Предложили в календарь (членов жюри)" not in header  # the national stage's only
    unscored = dict(zip(header, operations.table(stage)[-1], strict=True))
    assert [unscored[f"Член жюри {x}: сумма"] for x in "ABC"] == ["—"] * 3


def test_the_export_leaves_blank_a_jurors_cells_for_entries_not_theirs(make):
    contest, stage, entries, jurors = judging_stage(make, entries=4, jurors=4, open_judging=False)
    operations.update_settings(stage, 3, 3)
    operations.change_status(stage, OPEN)
    operations.change_status(stage, CLOSED)
    header, *rows = operations.table(stage)
    totals = [i for i, name in enumerate(header) if name.endswith(": сумма")]
    for row in rows:
        assert sorted((row[i] for i in totals), key=str) == [None, "—", "—", "—"]


def test_the_national_ranking_counts_calendar_proposals_and_names_winners(make):
    contest, national, (a, b, c), (n1, n2, n3) = national_stage(make)
    criteria = {cr.id: 7 for cr in contest.criteria}
    for juror in (n1, n2, n3):
        operations.save_sheet(national, juror, a, criteria, calendar_candidate=juror is not n3)
        operations.save_sheet(national, juror, b, criteria)
    operations.save_sheet(national, n1, c, criteria, calendar_candidate=True)
    operations.declare_conflict(national, n1, c)  # a conflicted juror proposes nothing
    operations.save_sheet(national, n2, c, {contest.criteria[0].id: 7},
                          calendar_candidate=True)  # incomplete: does not count either
    operations.change_status(national, CLOSED)
    assert operations.calendar_proposals(national) == {a.id: 2}
    assert operations.calendar_proposals(national, [b.id]) == {}
    header, *rows = operations.table(national)
    assert "Победитель" in header and "Финалист" not in header
    proposed = {row[2]: row[header.index("Предложили в календарь (членов жюри)")] for row in rows}
    assert proposed == {a.id: 2, b.id: 0, c.id: 0}
    regional = make.stage(contest)
    assert operations.calendar_proposals(regional) == {}
    operations.change_status(national, PUBLISHED)
    assert a.calendar_candidate and not b.calendar_candidate and not c.calendar_candidate
