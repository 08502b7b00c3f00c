"""The facts library: sourced facts about bone health for the calendar's month pages.

Seeded from ``data/facts.csv``, each fact with the source to print; organizers edit it in the
browser.
"""

import csv
from collections.abc import Collection, Iterable
from pathlib import Path

from sqlalchemy import func, select

from . import audit
from .extensions import db
from .models import Fact

SEED = Path(__file__).parent / "data" / "facts.csv"


def seed() -> int:
    """Load the seed facts into an empty library; returns how many were added."""
    if db.session.scalar(select(func.count(Fact.id))):
        return 0
    with SEED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    db.session.add_all(_seed_fact(n, row) for n, row in enumerate(rows))
    db.session.flush()
    return len(rows)


def _seed_fact(position: int, row: dict[str, str]) -> Fact:
    month = row.pop("month")
    return Fact(position=position, month=int(month) if month else None, **row)


def library(active_only: bool = False) -> list[Fact]:
    query = select(Fact).order_by(Fact.position, Fact.id)
    if active_only:
        query = query.where(Fact.active.is_(True))
    return list(db.session.scalars(query))


def suggest(count: int, taken: Collection[int] = frozenset()) -> list[Fact]:
    """``count`` facts for month pages without repeats: those not taken yet, in order, the facts
    tied to a month last (they are kept for their own month while others remain)."""
    facts = [f for f in library(active_only=True) if f.id not in taken]
    facts.sort(key=lambda f: f.month is not None)  # stable: library order within each group
    return facts[:count]


def suggest_for_months(months: Iterable[int], taken: Collection[int] = frozenset()
                       ) -> dict[int, Fact]:
    """A fact for each of ``months`` (pages still without one), none of ``taken`` (already in
    the calendar): first a fact tied to that very month, then the others as ``suggest`` orders
    them. Only a library too small for the calendar repeats a fact, rather than leave a page bare.
    """
    months = list(months)
    chosen: dict[int, Fact] = {}
    for fact in library(active_only=True):
        if fact.month in months and fact.month not in chosen and fact.id not in taken:
            chosen[fact.month] = fact
    rest = [m for m in months if m not in chosen]
    offered = suggest(len(rest), {*taken, *(f.id for f in chosen.values())})
    if len(offered) < len(rest):
        offered += suggest(len(rest) - len(offered))
    chosen.update(zip(rest, offered, strict=False))
    return dict(sorted(chosen.items()))


def save(fact: Fact | None, **fields) -> Fact:
    """Create or edit a fact; flushes."""
    if fact is None:
        fact = Fact(position=(db.session.scalar(select(func.max(Fact.position))) or 0) + 1)
        db.session.add(fact)
    for key, value in fields.items():
        setattr(fact, key, value)
    db.session.flush()
    audit.record("fact.save", fact)
    db.session.flush()
    return fact
