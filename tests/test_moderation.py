"""Coordinators moderate their own region; images are served only to those allowed."""

import io
import json

import pytest
from PIL import Image, ImageChops, ImageStat

from contest import entries
from contest.extensions import db
from contest.judging import operations
from contest.models import AuditLog, EntryStatus, Phase, Role, StageStatus
from contest.uploads import files

from .factories import judging_stage


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def coordinator(make):
    return make.user(Role.COORDINATOR, region=make.region("RU-MOW"))


def test_queue_shows_only_the_region(client, make, login, contest, coordinator):
    mine = make.entry(contest, "RU-MOW", title="Мой регион")
    other = make.entry(contest, "RU-TA", title="Чужой регион")
    login(coordinator)
    page = client.get("/coordinator/").data.decode()
    assert "Мой регион" in page and "Чужой регион" not in page
    assert client.get(f"/coordinator/entries/{mine.id}").status_code == 200
    assert client.get(f"/coordinator/entries/{other.id}").status_code == 404
    assert client.post(f"/coordinator/entries/{other.id}/moderate",
                       data={"decision": "accepted"}).status_code == 404
    assert other.status is EntryStatus.RECEIVED


def test_organizer_sees_any_region(client, make, login, contest):
    entry = make.entry(contest, "RU-TA")
    login(make.user(Role.ORGANIZER))
    assert client.get(f"/coordinator/?stage={entry.stage_id}").status_code == 200
    assert client.get(f"/coordinator/entries/{entry.id}").status_code == 200


@pytest.mark.parametrize("role", [None, Role.JUROR])
def test_moderation_is_for_staff(client, make, login, contest, role):
    entry = make.entry(contest)
    if role:
        login(make.user(role))
    response = client.get(f"/coordinator/entries/{entry.id}")
    assert response.status_code == (302 if role is None else 403)


def test_reject_needs_a_reason_and_the_family_sees_it(app, client, make, login, contest,
                                                       coordinator):
    entry = make.entry(contest)
    login(coordinator)
    response = client.post(f"/coordinator/entries/{entry.id}/moderate", data={"decision": "rejected"})
    assert response.status_code == 422
    assert "укажите причину".encode() in response.data
    assert entry.status is EntryStatus.RECEIVED
    client.post(f"/coordinator/entries/{entry.id}/moderate",
                data={"decision": "rejected", "reason": "Рисунок не по теме конкурса"})
    assert entry.status is EntryStatus.REJECTED
    status_page = client.get(f"/status/{entry.code}").data.decode()
    assert "Отклонена" in status_page and "Рисунок не по теме конкурса" in status_page
    action = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "entry.moderate"))
    assert action.details["after"] == "rejected" and action.user_id == coordinator.id


def test_save_and_next(client, make, login, contest, coordinator):
    first, second = make.entry(contest), make.entry(contest)
    login(coordinator)
    response = client.post(f"/coordinator/entries/{first.id}/moderate",
                           data={"decision": "accepted", "next": "1"})
    assert response.headers["Location"] == f"/coordinator/entries/{second.id}"


def test_rotate_turns_every_copy_and_back_without_visible_loss(client, make, login, contest,
                                                                coordinator):
    entry = make.entry(contest, size=(1200, 900))

    def stored(kind):
        return Image.open(io.BytesIO(files.storage().read(files.image_key(entry, kind))))

    before = stored("print").convert("RGB")
    login(coordinator)
    client.post(f"/coordinator/entries/{entry.id}/rotate", data={"degrees": "90"})
    assert (entry.width, entry.height, entry.rotation) == (900, 1200, 90)
    assert [stored(kind).size for kind in ("print", "preview", "thumb")] == [
        (900, 1200), (900, 1200), (300, 400)]
    # turned clockwise: the top-left corner of the drawing is now its top-right corner
    assert stored("print").getpixel((899, 0)) == pytest.approx(before.getpixel((0, 0)), abs=12)
    client.post(f"/coordinator/entries/{entry.id}/rotate", data={"degrees": "-90"})
    assert entry.rotation == 0 and stored("print").size == (1200, 900)
    after = stored("print").convert("RGB")
    difference = ImageChops.difference(before, after).convert("L")
    assert ImageStat.Stat(difference).mean[0] < 1.5  # two generations at print quality
    assert client.post(f"/coordinator/entries/{entry.id}/rotate",
                       data={"degrees": "45"}).status_code == 400


def test_mask_covers_only_the_jury_copy(client, make, login, contest, coordinator):
    entry = make.entry(contest, consents={"personal_data": True, "show_name": False,
                                          "print": True})
    login(coordinator)
    client.post(f"/coordinator/entries/{entry.id}/masks", data={"x": 0, "y": 0, "w": 50, "h": 50})
    assert entry.jury_masks == [[0.0, 0.0, 0.5, 0.5]]
    jury = Image.open(io.BytesIO(files.storage().read(files.image_key(entry, "jury"))))
    preview = Image.open(io.BytesIO(files.storage().read(files.image_key(entry, "preview"))))
    corner = (jury.width // 10, jury.height // 10)
    assert jury.getpixel(corner) != preview.getpixel(corner)
    # the public thumbnail hides it too (a masked signature is the child's name), unless the
    # family agreed to show the name
    public = Image.open(io.BytesIO(files.storage().read(files.image_key(entry, "public"))))
    thumb = Image.open(io.BytesIO(files.storage().read(files.image_key(entry, "thumb"))))
    corner = (public.width // 10, public.height // 10)
    assert public.getpixel(corner) != thumb.getpixel(corner) and public.size == thumb.size
    named = make.entry(contest)
    named.jury_masks = [[0.0, 0.0, 0.5, 0.5]]
    assert files.image_key(named, "public").endswith("/thumb.jpg")
    response = client.post(f"/coordinator/entries/{entry.id}/masks", data={"x": 0, "y": 0, "w": 500, "h": 5})
    assert response.status_code == 422
    client.post(f"/coordinator/entries/{entry.id}/masks", data={"clear": "1"})
    assert entry.jury_masks == []
    assert files.image_key(entry, "public").endswith("/thumb.jpg")
    assert not files.storage().exists(f"{entry.image_key}/public.jpg")


def test_media_access(client, make, login, contest, coordinator):
    entry = make.entry(contest, "RU-MOW")
    url = f"/media/entries/{entry.id}/preview.jpg"
    assert client.get(url).status_code == 404  # anonymous
    login(coordinator)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    assert client.get(f"/media/entries/{entry.id}/original.jpg").status_code == 404
    login(make.user(Role.COORDINATOR, region=make.region("RU-TA")))
    assert client.get(url).status_code == 404


def test_juror_sees_only_the_jury_copy_of_their_stage(client, make, login):
    contest_, stage, (entry, *_), (juror, *_) = judging_stage(make, open_judging=False)
    contest_.phase = Phase.SUBMISSIONS_OPEN
    rejected = make.entry(contest_, "RU-MOW", status=EntryStatus.REJECTED)
    contest_.phase = Phase.REGIONAL_JUDGING
    login(juror)
    # During moderation the coordinator may still be masking a signature: nothing to see.
    assert client.get(f"/media/entries/{entry.id}/jury.jpg").status_code == 404
    operations.change_status(stage, StageStatus.JUDGING_OPEN)
    db.session.commit()
    assert client.get(f"/media/entries/{entry.id}/jury.jpg").status_code == 200
    assert client.get(f"/media/entries/{entry.id}/preview.jpg").status_code == 404
    assert client.get(f"/media/entries/{rejected.id}/jury.jpg").status_code == 404  # not judged
    login(make.user(Role.JUROR, stage=make.stage(contest_, "RU-TA")))
    assert client.get(f"/media/entries/{entry.id}/jury.jpg").status_code == 404


def test_export_and_erase_personal_data(app, client, make, login, contest):
    entry = make.entry(contest, child_first_name="Соня", child_last_name="Белова")
    login(make.user(Role.COORDINATOR, region=make.region("RU-MOW")))
    assert client.get(f"/coordinator/entries/{entry.id}/personal-data.json").status_code == 403
    login(make.user(Role.ORGANIZER))
    data = json.loads(client.get(f"/coordinator/entries/{entry.id}/personal-data.json").data)
    assert (data["child_first_name"], data["child_last_name"]) == ("Соня", "Белова")
    assert {c["kind"] for c in data["consents"]} == {"personal_data", "show_name", "print"}
    assert [h["what"] for h in data["history"]] == ["Рисунок получен"]  # what happened to it
    code, age, town = entry.code, entry.age, entry.town
    client.post(f"/coordinator/entries/{entry.id}/erase")
    assert entry.child_first_name == "" and entry.guardian_email == "" and entry.birth_date is None
    assert (entry.age, entry.town) == (age, town)  # statistics keep working
    assert not files.storage().exists(files.image_key(entry, "preview"))
    assert client.get(f"/status/{code}").status_code == 404


def test_purge_contacts_keeps_winners(make, contest):
    kept, purged = make.entry(contest), make.entry(contest)
    assert entries.purge_contacts(contest, keep_entry_ids={kept.id}) == 1
    assert kept.guardian_email and not purged.guardian_email and purged.contacts_purged_at


def test_caption_respects_consent(make, contest):
    named = make.entry(contest, child_first_name="Лиза", age=9, town="Тверь")
    anonymous = make.entry(contest, child_first_name="Коля", age=5, town="Омск",
                           consents={"personal_data": True, "show_name": False, "print": True})
    assert entries.caption(named) == "Лиза, 9 лет, Тверь"
    assert entries.caption(anonymous) == "5 лет, Омск"


def _outbox(app) -> int:
    from pathlib import Path

    return len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")))


@pytest.mark.parametrize("phase, stage_status", [
    (Phase.REGIONAL_JUDGING, StageStatus.JUDGING_OPEN),
    (Phase.REGIONAL_JUDGING, StageStatus.JUDGING_CLOSED),
    (Phase.NATIONAL_JUDGING, StageStatus.PUBLISHED),
    (Phase.CALENDAR, StageStatus.PUBLISHED),
    (Phase.NATIONAL_JUDGING, StageStatus.MODERATION),  # the region never judged: still too late
])
def test_moderation_is_locked_once_judging_starts(app, client, make, login, contest, coordinator,
                                                  phase, stage_status):
    entry = make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)
    contest.phase, entry.stage.status = phase, stage_status
    db.session.commit()
    mails, rotation = _outbox(app), entry.rotation
    login(coordinator)
    for url, data in [("moderate", {"decision": "rejected", "reason": "Не по теме"}),
                      ("moderate", {"decision": "needs_photo", "reason": "Блик"}),
                      ("rotate", {"degrees": "90"}),
                      ("masks", {"x": 0, "y": 0, "w": 20, "h": 20}),
                      ("masks", {"clear": "1"})]:
        response = client.post(f"/coordinator/entries/{entry.id}/{url}", data=data)
        assert response.status_code == 409, (url, data)
        assert "Проверка работ" in response.data.decode()
    assert (entry.status, entry.rotation, entry.jury_masks) == (EntryStatus.ACCEPTED, rotation, [])
    assert _outbox(app) == mails  # the family got no contradictory email
    page = client.get(f"/coordinator/entries/{entry.id}").data.decode()
    assert "больше нельзя изменить" in page
    assert "Повернуть" not in page and 'name="decision"' not in page and "mask-form" not in page
    with pytest.raises(entries.ModerationClosed):
        entries.moderate(entry, EntryStatus.REJECTED, "Не по теме")


def test_moderation_stays_open_during_regional_judging_until_the_stage_opens(
        client, make, login, contest, coordinator):
    entry = make.entry(contest, "RU-MOW")
    contest.phase = Phase.REGIONAL_JUDGING  # the stage itself is still in moderation
    db.session.commit()
    login(coordinator)
    assert 'name="decision"' in client.get(f"/coordinator/entries/{entry.id}").data.decode()
    client.post(f"/coordinator/entries/{entry.id}/moderate", data={"decision": "accepted"})
    assert entry.status is EntryStatus.ACCEPTED
    assert entries.moderation_closed(entry) is None


def test_erased_entry_shows_no_image_and_no_actions(client, make, login, contest):
    entry = make.entry(contest, child_first_name="Соня", child_last_name="Белова", age=10)
    entries.erase_personal_data(entry)
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/coordinator/entries/{entry.id}").data.decode()
    assert "Персональные данные удалены" in page
    assert 'id="drawing"' not in page and "/media/entries/" not in page
    assert "Повернуть" not in page and "mask-form" not in page and 'name="decision"' not in page
    assert "<dt>Ребёнок</dt>" not in page and "<dt>Возраст</dt><dd>10</dd>" in page
    for url, data in [("rotate", {"degrees": "90"}), ("masks", {"x": 0, "y": 0, "w": 20, "h": 20}),
                      ("moderate", {"decision": "accepted"})]:
        assert client.post(f"/coordinator/entries/{entry.id}/{url}", data=data).status_code == 409
    queue = client.get(f"/coordinator/?stage={entry.stage_id}&status=all").data.decode()
    assert "Персональные данные удалены, 10" in queue


@pytest.mark.parametrize("box", [
    {"x": 10, "y": 10, "w": 0, "h": 20},
    {"x": 10, "y": 10, "w": 20, "h": 0},
    {"x": 10, "y": 10, "w": 0.5, "h": 20},
    {"x": 100, "y": 10, "w": 20, "h": 20},  # starts at the right edge: nothing left to hide
    {"x": 99.5, "y": 10, "w": 20, "h": 20},
])
def test_too_small_a_mask_is_explained(client, make, login, contest, coordinator, box):
    entry = make.entry(contest)
    login(coordinator)
    response = client.post(f"/coordinator/entries/{entry.id}/masks", data=box)
    assert response.status_code == 422
    assert "не меньше 1%" in response.data.decode()
    assert entry.jury_masks == []


def test_a_mask_past_the_edge_is_cut_there():
    assert entries.mask_box(0.9, 0.5, 0.5, 0.2) == (0.9, 0.5, 0.1, 0.2)
    with pytest.raises(entries.EntryError):
        entries.mask_box(0.2, 0.2, 0.0, 0.1)


# --- a turn keeps the signature hidden ------------------------------------------------------

SIGNATURE = (0.1, 0.7, 0.3, 0.15)  # where the child signed, as shares of the upright drawing


def _signed_drawing() -> bytes:
    """A drawing with a pure green signature where SIGNATURE says."""
    from PIL import ImageDraw

    im = Image.new("RGB", (1200, 900), (250, 248, 240))
    draw = ImageDraw.Draw(im)
    x, y, w, h = SIGNATURE
    draw.rectangle((x * 1200, y * 900, (x + w) * 1200 - 1, (y + h) * 900 - 1), fill=(0, 200, 0))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=95)
    return out.getvalue()


def _where(image: Image.Image, *tests) -> Image.Image:
    """A black-and-white map of the pixels whose channels (R, G, B) pass each test."""
    found = None
    for channel, test in zip(image.convert("RGB").split(), tests, strict=True):
        passed = channel.point(lambda v, test=test: 255 if test(v) else 0)
        found = passed if found is None else ImageChops.multiply(found, passed)
    return found


def _green(image):
    return _where(image, lambda r: r < 90, lambda g: g > 150, lambda b: b < 90)


def _grey(image):
    return _where(image, *[lambda v: abs(v - 128) < 16] * 3)


def _count(found: Image.Image) -> int:
    return found.histogram()[255]


@pytest.mark.parametrize("turns", [["90"], ["180"], ["-90"], ["90", "90", "90"]],
                         ids=["90", "180", "270", "3x90"])
def test_a_turn_keeps_the_signature_mask_over_the_signature(client, make, login, contest,
                                                            coordinator, turns):
    from contest.uploads.pipeline import process_image, redact

    details = make.details(make.region("RU-MOW"),
                           consents={"personal_data": True, "show_name": False, "print": True})
    entry = entries.submit(contest, details, process_image(_signed_drawing()))
    login(coordinator)
    x, y, w, h = SIGNATURE  # the coordinator's mask: the signature and a little around it
    client.post(f"/coordinator/entries/{entry.id}/masks", data={
        "x": (x - 0.02) * 100, "y": (y - 0.02) * 100, "w": (w + 0.04) * 100,
        "h": (h + 0.04) * 100})
    assert entry.jury_masks
    for degrees in turns:
        response = client.post(f"/coordinator/entries/{entry.id}/rotate", data={"degrees": degrees})
        assert response.status_code == 302
    assert entry.jury_masks, "the turn dropped the mask"

    def stored(name):
        return Image.open(io.BytesIO(files.storage().read(f"{entry.image_key}/{name}.jpg")))

    # The derived copies that hide the signature: the public thumbnail (the page a visitor
    # sees), the jury's preview, and the print master as the calendar masks it.
    print_master = files.storage().read(files.image_key(entry, "print"))
    masked_print = Image.open(io.BytesIO(redact(print_master, entry.jury_masks)))
    assert files.image_key(entry, "public").endswith("/public.jpg")  # what visitors get
    for plain, masked in [(stored("thumb"), stored("public")), (stored("preview"), stored("jury")),
                          (Image.open(io.BytesIO(print_master)), masked_print)]:
        signature = _green(plain)  # where the signature is after the turn
        assert _count(signature) > 0.02 * plain.width * plain.height
        grey = _grey(masked)
        assert _count(ImageChops.subtract(signature, grey)) == 0, "signature pixels show"
        assert _count(_green(masked)) == 0
        # ...and the mask is where the signature is, not elsewhere: its box is the
        # signature's with the coordinator's margin (2 % of the drawing, plus rounding).
        margin = 0.02 * max(plain.size) + 3
        for got, want in zip(grey.getbbox(), signature.getbbox(), strict=True):
            assert abs(got - want) <= margin, (grey.getbbox(), signature.getbbox())
    assert entry.rotation == sum(int(d) for d in turns) % 360
    turned = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "entry.rotate"))
    assert [row.details["masks"] for row in turned] == [1] * len(turns)


@pytest.mark.parametrize("operation", ["rotate", "mask"])
def test_a_failed_turn_or_mask_leaves_the_drawing_as_it_was(app, make, contest, monkeypatch,
                                                            operation):
    """The new copies and the row together or not at all: a storage failure half-way through
    leaves the old files, the old row and no new file behind."""
    from pathlib import Path

    entry = make.entry(contest, size=(1200, 900))

    def stored_files() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*")
                if p.is_file()}

    key, before = entry.image_key, stored_files()
    store = files.storage()
    real_put, calls = store.put, []

    def failing_put(name, data):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_put(name, data)

    monkeypatch.setattr(type(store), "put", lambda self, name, data: failing_put(name, data))
    with pytest.raises(OSError):
        if operation == "rotate":
            entries.rotate_entry(entry, 90)
        else:
            entries.set_masks(entry, [(0.1, 0.1, 0.3, 0.2)])
    db.session.refresh(entry)
    assert entry.image_key == key and entry.rotation == 0 and not entry.jury_masks
    assert stored_files() == before  # nothing overwritten; the new copies were removed again
    assert files.storage().read(files.image_key(entry, "print"))  # the old drawing is there
