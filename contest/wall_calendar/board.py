"""The calendar's pages as the organizers assemble them: which drawings may go in, which are
placed on the cover and the twelve months, with which facts, and who the back page honours.

Reading the board never writes; the operations that fill pages store them and commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, inspect, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, contests, entries, facts
from ..contests import RuleError
from ..extensions import db
from ..judging.models import Placement
from ..models import (
    Award,
    CalendarSlot,
    Contest,
    Entry,
    EntryStatus,
    Fact,
    Phase,
    Region,
    Stage,
    StageKind,
)

COVER = 0
MONTHS = range(1, 13)
SLOTS = range(0, 13)


NOT_A_CANDIDATE = _l("This number is not among this calendar's drawings (no such drawing, "
                     "another region's, not accepted, withdrawn or erased): check the number. "
                     "The page was not changed.")


PER_PAGE = 24


def _candidate_query(contest: Contest, region: Region | None):
    """Which drawings may go in the calendar (one definition for the list, the search and the
    check of a placed drawing). National: the national winners and the drawings the national
    jury marked as calendar candidates. Regional: the region's accepted entries."""
    query = select(Entry).join(Stage).where(
        Entry.contest_id == contest.id, Entry.personal_data_erased_at.is_(None))
    if region is not None:
        return query.where(Stage.region_id == region.id, Entry.status == EntryStatus.ACCEPTED)
    return query.where(or_(Entry.award == Award.WINNER, Entry.calendar_candidate.is_(True)))


def candidates(contest: Contest, region: Region | None = None) -> list[Entry]:
    """Every drawing that may go in the calendar (the ranking's pool; the page lists them a
    page at a time, ``candidate_page``)."""
    # Each one's consents, caption and region: loaded with it, not one by one.
    query = _candidate_query(contest, region).options(
        selectinload(Entry.consents), joinedload(Entry.stage).joinedload(Stage.region))
    if region is not None:
        return list(db.session.scalars(query.order_by(Entry.id)))
    found = db.session.scalars(query.order_by(Entry.id))
    return sorted(found, key=lambda e: (e.award is not Award.WINNER, e.stage.region.name, e.id))


def is_candidate(contest: Contest, region: Region | None, entry: Entry) -> bool:
    """Whether the drawing may go in this calendar (one query, not the whole list)."""
    return db.session.scalar(_candidate_query(contest, region).where(Entry.id == entry.id)
                             .with_only_columns(Entry.id)) is not None


@dataclass
class CandidateSearch:
    """What the page's list of drawings asks for: words or a number, an age category, only
    the drawings on no page, and which page of the list."""

    text: str = ""
    category: int | None = None
    unused: bool = False
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class CandidatePage:
    """One page of the candidates found, and how many were found in all."""

    entries: list[Entry] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def candidate_page(contest: Contest, region: Region | None, search: CandidateSearch,
                   used: set[int] = frozenset()) -> CandidatePage:
    """The candidates matching ``search``, a page at a time: the jury's ranking first where
    there is one (national: the winners before it), the others newest first. One query for the
    page (its consents, stage and region loaded with it) and one for the count."""
    query = _candidate_query(contest, region)
    text = search.text.strip()
    if text:
        number = text.lstrip("№#").strip()
        like = f"%{text}%"
        words = [Entry.title.ilike(like), Entry.child_first_name.ilike(like),
                 Entry.town.ilike(like), Entry.code.ilike(like)]
        if number.isdigit() and len(number) < 10:
            words.append(Entry.id == int(number))
        query = query.where(or_(*words))
    if search.category:
        query = query.where(Entry.age_category_id == search.category)
    if search.unused and used:
        query = query.where(Entry.id.not_in(used))
    total = db.session.scalar(query.with_only_columns(func.count(Entry.id)).order_by(None)) or 0
    pages = max(1, -(-total // search.per_page))
    page = min(max(1, search.page), pages)
    stage_id = db.session.scalar(select(Stage.id).where(
        Stage.contest_id == contest.id,
        Stage.kind == StageKind.NATIONAL if region is None else Stage.region_id == region.id))
    ranked = query.outerjoin(Placement, and_(Placement.entry_id == Entry.id,
                                             Placement.stage_id == stage_id))
    order = [case((Entry.award == Award.WINNER, 0), else_=1)] if region is None else []
    order += [Placement.rank.is_(None), Placement.rank,
              func.coalesce(Placement.adjusted_mean, Placement.raw_mean).desc().nulls_last(),
              Entry.submitted_at.desc(), Entry.id.desc()]
    found = db.session.scalars(ranked.options(
        selectinload(Entry.consents), joinedload(Entry.stage).joinedload(Stage.region))
        .order_by(*order).limit(search.per_page).offset((page - 1) * search.per_page))
    return CandidatePage(list(found), total, page, search.per_page)


def honoured(contest: Contest, region: Region | None,
             pages: dict[int, CalendarSlot]) -> list[Entry]:
    """Who the back page lists: the national winners (a region's calendar: the region's
    finalists and winners) whose families agreed to printing; the calendar's own drawings
    while no result is published."""
    query = select(Entry).join(Stage).where(Entry.contest_id == contest.id,
                                            Entry.personal_data_erased_at.is_(None))
    if region is None:
        query = query.where(Entry.award == Award.WINNER)
    else:
        query = query.where(Stage.region_id == region.id, Entry.award.is_not(None))
    found = [e for e in db.session.scalars(query.order_by(Entry.age_category_id, Entry.id))
             if printable(e)]
    return found or [p.entry for p in pages.values() if p.entry is not None and printable(p.entry)]


def printable(entry: Entry) -> bool:
    """Whether the family allows the drawing in the calendar: a hard rule, never overridden
    (the same consent lets public pages show it, ``entries.drawing_shown_publicly``)."""
    return entries.drawing_shown_publicly(entry)


def consent_refusal(slots) -> str:
    """Why pages whose family did not allow printing cannot be printed, in plain words."""
    return str(_l("The family did not allow printing the drawing on %(pages)s, or withdrew "
                  "their consent: it cannot go in the calendar and no one can make an "
                  "exception. Choose another drawing.", pages=page_names(slots)))


def editions() -> list[Contest]:
    """Contests a calendar can be made of, newest first; the default is the first."""
    every = contests.all_contests()
    ready = [c for c in every if c.phase.index >= Phase.CALENDAR.index]
    return ready + [c for c in every if c not in ready and c.phase is not Phase.DRAFT]


def board(contest: Contest, region: Region | None = None) -> dict[int, CalendarSlot]:
    """The thirteen pages (0 = cover) of the calendar being assembled.

    A page never filled is an empty one that is not stored: reading the board never writes.
    The operations that fill pages store them (``_stored_board``).
    """
    rows = {s.slot: s for s in db.session.scalars(select(CalendarSlot).where(
        CalendarSlot.contest_id == contest.id, _region_is(region)))}
    empty = {slot: CalendarSlot(contest_id=contest.id, region_id=id_of(region), slot=slot)
             for slot in SLOTS if slot not in rows}
    return dict(sorted({**rows, **empty}.items()))


@dataclass(frozen=True)
class ProposedPage:
    """A page as a proposal would fill it: read like a ``CalendarSlot``, never stored."""

    slot: int
    entry: Entry | None
    fact_id: int | None


def proposed(pages: dict[int, CalendarSlot], chosen: dict[int, Entry] | None
             ) -> dict[int, CalendarSlot | ProposedPage]:
    """The board with the ``chosen`` drawings (page → drawing) in place of its own; the board
    itself when nothing is proposed."""
    if chosen is None:
        return pages
    return {slot: ProposedPage(slot, chosen.get(slot), page.fact_id)
            for slot, page in pages.items()}


def _stored_board(contest: Contest, region: Region | None) -> dict[int, CalendarSlot]:
    """The board with every page stored, for an operation that fills some."""
    pages = board(contest, region)
    db.session.add_all(page for page in pages.values() if inspect(page).transient)
    db.session.flush()
    return pages


def _region_is(region: Region | None):
    if region is None:
        return CalendarSlot.region_id.is_(None)
    return CalendarSlot.region_id == region.id


def id_of(region: Region | None) -> int | None:
    """The region's id; None for the national calendar."""
    return region.id if region else None


def assign(contest: Contest, region: Region | None, slot: int | None,
           entry: Entry | None) -> None:
    """Put a drawing on a page (or clear it); a drawing already on another page moves.
    Flushes; the request commits.

    A drawing the family did not allow printing is refused (``RuleError``), whoever asks; so
    is one that is no longer a candidate (withdrawn or erased since the page was opened).
    """
    _require_page(slot, SLOTS)
    pages = _stored_board(contest, region)
    if entry is not None:
        if not is_candidate(contest, region, entry):
            raise RuleError(NOT_A_CANDIDATE)
        if not printable(entry):
            raise RuleError(_l("The family of «%(title)s» did not allow printing it: it cannot "
                               "go in the calendar, and no one can make an exception.",
                               title=entry.title))
        for other in pages.values():
            if other.entry_id == entry.id and other.slot != slot:
                other.entry_id = pages[slot].entry_id  # swap: the page's drawing goes there
    pages[slot].entry_id = entry.id if entry else None
    audit.record("calendar.assign", contest, region=id_of(region), slot=slot,
                 entry=entry.id if entry else None)
    db.session.flush()


def set_fact(contest: Contest, region: Region | None, slot: int | None,
             fact: Fact | None) -> None:
    """Give a month its fact (or none). Flushes; the request commits."""
    _require_page(slot, MONTHS)
    _stored_board(contest, region)[slot].fact_id = fact.id if fact else None
    db.session.flush()


def _require_page(slot: int | None, allowed) -> None:
    if slot not in allowed:
        raise RuleError(_l("There is no such page in the calendar."))


def suggest_facts(contest: Contest, region: Region | None) -> int:
    """Give every month without a fact one from the library (a fact tied to that month first),
    never repeating one already in the calendar; flushes. Returns how many pages got one."""
    facts.seed()
    pages = _stored_board(contest, region)
    taken = {p.fact_id for p in pages.values() if p.fact_id}
    offered = facts.suggest_for_months((m for m in MONTHS if not pages[m].fact_id), taken)
    for month, fact in offered.items():
        pages[month].fact_id = fact.id
    db.session.flush()
    return len(offered)


def page_name(slot: int) -> str:
    """“Cover” or the month's name, in the current language."""
    return str(_l("Cover")) if slot == COVER else format_date(date(2000, slot, 1), "LLLL")


def page_names(slots) -> str:
    return ", ".join(page_name(s) for s in slots)


def printed_entries(contest: Contest, region: Region | None) -> list[int]:
    """The entries a calendar built now prints (its pages' drawings and captions, the back
    page's names and thumbnails): what an erasure of one of them must withdraw."""
    pages = board(contest, region)
    return sorted({p.entry_id for p in pages.values() if p.entry_id}
                  | {e.id for e in honoured(contest, region, pages)})

