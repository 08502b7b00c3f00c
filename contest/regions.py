"""The regions: subjects of the Russian Federation with their ISO 3166-2 codes.

pycountry (the maintained ISO 3166-2 list) decides which codes exist; ``data/regions.csv``
gives each code its Russian and English names, which pycountry only has transliterated.
"""

import csv
from pathlib import Path

import pycountry
from sqlalchemy import select

from .extensions import db
from .models import Region

NAMES = Path(__file__).parent / "data" / "regions.csv"


def iso_codes() -> set[str]:
    """The ISO 3166-2 codes of Russia's subdivisions, from pycountry."""
    return {s.code for s in pycountry.subdivisions.get(country_code="RU")}


def sync() -> int:
    """Create or rename the regions to match the list; returns how many rows changed."""
    with NAMES.open(encoding="utf-8") as f:
        names = {row["code"]: row for row in csv.DictReader(f)}
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    changed = 0
    for code in sorted(iso_codes()):
        row = names.get(code, {"name_ru": code, "name_en": code})
        region = existing.get(code) or Region(code=code)
        if (region.name_ru, region.name_en) != (row["name_ru"], row["name_en"]):
            region.name_ru, region.name_en = row["name_ru"], row["name_en"]
            db.session.add(region)
            changed += 1
    db.session.flush()
    return changed


def by_name() -> list[Region]:
    """Every region, in the order of their names (for menus)."""
    return sorted(db.session.scalars(select(Region)), key=lambda r: r.name)
