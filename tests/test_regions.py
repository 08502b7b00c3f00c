import csv

from sqlalchemy import func, select

from contest import regions
from contest.extensions import db
from contest.models import Region


def test_names_cover_exactly_the_iso_codes():
    with regions.NAMES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["code"] for r in rows} == regions.iso_codes()
    assert all(r["name_ru"] and r["name_en"] for r in rows)


def test_sync_is_idempotent(app):
    assert regions.sync() == 83
    assert regions.sync() == 0
    assert db.session.scalar(select(func.count(Region.id))) == 83
    moscow = db.session.scalar(select(Region).where(Region.code == "RU-MOW"))
    assert (moscow.name_ru, moscow.name_en) == ("Москва", "Moscow")
