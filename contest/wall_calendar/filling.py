"""Filling the calendar from the ranking: the best-scored candidates that pass every selection
rule go on the empty pages, and what could not be filled is said with the rules that refused.

The rules are the export's own (``rules.check``), asked about each proposed calendar: nothing
here decides what qualifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..judging.models import Placement
from ..models import Contest, Entry, Region, StageKind
from .board import SLOTS, assign, board, candidates, printable
from .options import Options
from .rules import RuleCheck, check

# Rules about the calendar as a whole, not about one page's drawing: a proposal may leave
# them broken (the other pages are not filled yet, the decree is not entered).
WHOLE_CALENDAR = frozenset({"complete", "categories", "days_off"})


@dataclass
class Filled:
    """What filling did: the pages it filled (page → drawing), and per page it could not fill
    the messages of the rules that refused the drawings left (the first refusal of each rule;
    none when no drawing was left)."""

    placed: dict[int, Entry] = field(default_factory=dict)
    unfilled: dict[int, list[str]] = field(default_factory=dict)


def ranked(contest: Contest, region: Region | None) -> list[Entry]:
    """The calendar's candidates best first: the jury's rank 1 of every age category, then
    rank 2, ..., a higher score first at the same rank (so every category comes early); the
    candidates the jury did not rank last. National: the national stage's ranking; a region's
    calendar: its regional stage's."""
    pool = candidates(contest, region)
    stage = next((s for s in contest.stages if
                  (s.kind is StageKind.NATIONAL if region is None else s.region_id == region.id)),
                 None)
    order: dict[int, tuple] = {}
    if stage is not None:
        for line in db.session.scalars(select(Placement).where(Placement.stage_id == stage.id)):
            order[line.entry_id] = (line.rank, -(line.adjusted_mean or line.raw_mean or 0.0))
    last = (float("inf"), 0.0)
    return sorted(pool, key=lambda e: (*order.get(e.id, last), e.id))


def fill_from_ranking(contest: Contest, region: Region | None, options: Options,
                      replace: bool = False) -> Filled:
    """Put the best-ranked drawings that pass every rule on the empty pages (on every page with
    ``replace``); the pages already filled stay as they are. Flushes; the request commits.

    Each page takes the first drawing of the ranking with which no rule about a page breaks;
    the layout rules (resolution, shape) are checked on the whole proposal at once, and a
    drawing they refuse for a page is tried no more there.
    """
    pages = board(contest, region)
    kept = {} if replace else {s: p.entry for s, p in pages.items() if p.entry is not None}
    placed = {k.id for k in kept.values()}
    # ``printable`` is the consent rule's own test: asked once here, not once per trial.
    queue = [e for e in ranked(contest, region) if e.id not in placed and printable(e)]
    refused: dict[tuple[int, int], RuleCheck] = {}  # (page, drawing) the layout refused
    while True:
        proposal, unfilled = _propose(contest, region, options, kept, queue, refused)
        new = {s: e for s, e in proposal.items() if s not in kept}
        broken = {(s, new[s].id): c for c in check(contest, region, options, proposal)
                  if _refuses(c) for s in c.slots if s in new}
        if not broken:
            break
        refused.update(broken)
    result = Filled(unfilled=unfilled)
    for slot in SLOTS:
        if slot in new:
            assign(contest, region, slot, new[slot])
            result.placed[slot] = new[slot]
        elif replace and slot not in proposal and pages[slot].entry_id:
            assign(contest, region, slot, None)
    return result


def _propose(contest, region, options, kept, queue, refused):
    """Fill each empty page greedily with the rules that need no layout.

    A drawing those rules refuse is not tried again on a later page: the proposal only grows,
    so it stays refused (too many from its region, its child already in, no consent).
    """
    chosen = dict(kept)
    left = list(queue)
    unfilled: dict[int, list[str]] = {}
    dropped: dict[str, str] = {}  # the first refusal of each rule, by the rule's key
    for slot in (s for s in SLOTS if s not in kept):
        reasons = dict(dropped)
        for entry in list(left):
            layout = refused.get((slot, entry.id))
            if layout is not None:
                reasons.setdefault(layout.key, layout.message)
                continue
            broken = [c for c in check(contest, region, options, {**chosen, slot: entry},
                                       layout=False) if _refuses(c) and slot in c.slots]
            left.remove(entry)
            if not broken:
                chosen[slot] = entry
                break
            for rule in broken:
                dropped.setdefault(rule.key, rule.message)
                reasons.setdefault(rule.key, rule.message)
        else:
            unfilled[slot] = list(reasons.values())
    return chosen, unfilled


def _refuses(rule) -> bool:
    return not rule.ok and not rule.warning and rule.key not in WHOLE_CALENDAR
