"""The facts library: sourced facts about bone health for the calendar's month pages.

Seeded from ``data/facts.csv`` (figures checked against ``shared/osteoporosis-facts.md``);
organizers edit it in the browser.
"""

import csv
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
    db.session.add_all(Fact(position=n, **row) for n, row in enumerate(rows))
    db.session.commit()
    return len(rows)


def library(active_only: bool = False) -> list[Fact]:
    query = select(Fact).order_by(Fact.position, Fact.id)
    if active_only:
        query = query.where(Fact.active.is_(True))
    return list(db.session.scalars(query))


def suggest(count: int, taken: set[int] = frozenset()) -> list[Fact]:
    """``count`` facts for month pages without repeats: first those not taken yet, in order."""
    facts = [f for f in library(active_only=True) if f.id not in taken]
    return facts[:count]


def save(fact: Fact | None, **fields) -> Fact:
    """Create or edit a fact; commits."""
    if fact is None:
        fact = Fact(position=(db.session.scalar(select(func.max(Fact.position))) or 0) + 1)
        db.session.add(fact)
    for key, value in fields.items():
        setattr(fact, key, value)
    db.session.flush()
    audit.record("fact.save", fact)
    db.session.commit()
    return fact
