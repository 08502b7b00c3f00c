"""The public gallery: each year's winners, only with consent, thumbnails only."""

import pytest
from sqlalchemy import select

from contest import demo, entries
from contest.extensions import db
from contest.models import Award, Contest, Entry, Phase


@pytest.fixture
def judged(app):
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    return db.session.scalar(select(Contest).where(Contest.phase == Phase.CALENDAR))


def test_empty_gallery(client):
    assert "появятся здесь".encode() in client.get("/gallery").data


def test_winners_with_consent_only(client, judged):
    winners = db.session.scalars(select(Entry).where(Entry.award == Award.WINNER)).all()
    hidden = winners[0]
    hidden.consents[[c.kind for c in hidden.consents].index("print")].granted = False
    db.session.commit()
    page = client.get("/gallery").data.decode()
    assert f"Галерея победителей {judged.year}" in page
    for entry in winners:
        shown = f"/results/entries/{entry.id}/thumb.jpg" in page
        assert shown == entry.consent("print")
        assert entry is not hidden or not shown
        if shown:
            assert entry.child_last_name not in page  # captions carry no last names
    assert client.get(f"/results/entries/{hidden.id}/thumb.jpg").status_code == 404
    shown = next(e for e in winners if e.consent("print"))
    response = client.get(f"/results/entries/{shown.id}/thumb.jpg")
    assert response.status_code == 200 and len(response.data) < 100_000
    assert response.headers["Cache-Control"] == "public, no-cache" and response.headers["ETag"]
    again = client.get(f"/results/entries/{shown.id}/thumb.jpg",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert 'loading="lazy"' in page
    assert client.get(f"/gallery/{judged.year}").status_code == 200
    missing = client.get("/gallery/1999")
    assert missing.status_code == 404
    page = missing.data.decode()  # the gallery's own page: what is missing and the years there are
    assert "Галереи 1999 года пока нет" in page and f'href="/gallery/{judged.year}"' in page


def test_a_year_without_results_says_so(client):
    response = client.get("/gallery/2027")
    assert response.status_code == 404
    assert "Галереи 2027 года пока нет" in response.data.decode()


def test_finalists_that_did_not_win_are_not_in_the_gallery(client, judged):
    finalist = db.session.scalar(select(Entry).where(Entry.award == Award.FINALIST))
    assert f"/results/entries/{finalist.id}/thumb.jpg" not in client.get("/gallery").data.decode()


def test_results_show_the_judged_edition_while_the_next_one_is_open(client, judged):
    open_edition = db.session.scalar(select(Contest).where(Contest.phase == Phase.SUBMISSIONS_OPEN))
    assert open_edition.year == judged.year + 1  # the demo's two editions
    page = client.get("/results").data.decode()
    assert f"Итоги {judged.year}" in page and "ещё не опубликованы" not in page
    winner = db.session.scalar(select(Entry).where(Entry.award == Award.WINNER,
                                                   Entry.contest_id == judged.id))
    assert f"«{winner.title}»" in page
    assert f"«{winner.title}»" in client.get(f"/results/{judged.year}").data.decode()
    assert client.get(f"/results/{open_edition.year}").status_code == 404  # nothing published


def test_the_gallery_filters_by_region(client, judged):
    winners = [e for e in db.session.scalars(select(Entry).where(Entry.award == Award.WINNER))
               if e.consent("print")]
    region = winners[0].stage.region
    page = client.get(f"/gallery/{judged.year}?region={region.code}").data.decode()
    for entry in winners:
        shown = f"/results/entries/{entry.id}/thumb.jpg" in page
        assert shown == (entry.stage.region_id == region.id), entry.stage.region.code
    assert 'aria-current="page">' + region.name in page
    everyone = client.get(f"/gallery/{judged.year}?region=XX").data.decode()  # unknown: all
    assert all(f"/results/entries/{e.id}/thumb.jpg" in everyone for e in winners)


def test_a_winners_status_page_shows_both_juries_done(client, judged):
    winner = db.session.scalar(select(Entry).where(Entry.award == Award.WINNER,
                                                   Entry.contest_id == judged.id))
    page = client.get(f"/status/{winner.code}").data.decode()
    steps = page[page.index('<ol class="timeline">'):page.index("</ol>")]
    assert steps.count('class="done"') == 4  # received, checked, regional and national jury


def test_each_winner_has_a_page_to_share(client, judged):
    winners = db.session.scalars(select(Entry).where(Entry.award == Award.WINNER)).all()
    shown = next(e for e in winners if e.consent("print"))
    gallery = client.get(f"/gallery/{judged.year}").data.decode()
    page_url = f"/gallery/{judged.year}/{shown.id}"
    assert f'href="{page_url}"' in gallery
    page = client.get(page_url).data.decode()
    assert f'src="/results/entries/{shown.id}/drawing.jpg"' in page
    assert '<meta property="og:image" content="http://localhost/results/entries/' in page
    assert shown.child_last_name not in page and shown.guardian_email not in page
    caption = entries.caption(shown)
    assert f'content="«{shown.title}» — {caption}"' in page or caption in page
    large = client.get(f"/results/entries/{shown.id}/drawing.jpg")
    thumb = client.get(f"/results/entries/{shown.id}/thumb.jpg")
    assert large.status_code == 200 and len(large.data) > len(thumb.data)
    assert client.get(f"/gallery/{judged.year + 1}/{shown.id}").status_code == 404


def test_a_drawing_page_obeys_consent_and_erasure(client, judged):
    winners = db.session.scalars(select(Entry).where(Entry.award == Award.WINNER)).all()
    entry = winners[0]
    entry.consents[[c.kind for c in entry.consents].index("print")].granted = False
    db.session.commit()
    assert client.get(f"/gallery/{judged.year}/{entry.id}").status_code == 404
    assert client.get(f"/results/entries/{entry.id}/drawing.jpg").status_code == 404
