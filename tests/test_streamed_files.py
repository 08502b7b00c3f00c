"""A stored file goes to the browser as a stream from storage, 64 KB at a time, never read
whole into memory (``files.send_stored``), with its length, its ETag and Range answered."""

import pytest

from contest.models import Phase, Role
from contest.uploads import FileSystemStorage, files

LARGE = bytes(range(256)) * (5 * 4096)  # 5 MB: stands for a large print master or export


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def nothing_read_whole(monkeypatch):
    def refused(self, key):
        raise AssertionError(f"{key} was read whole")

    monkeypatch.setattr(FileSystemStorage, "read", refused)


def test_a_large_drawing_is_streamed_not_read_whole(client, make, login, contest,
                                                    nothing_read_whole):
    entry = make.entry(contest, "RU-MOW")
    files.storage().put(files.image_key(entry, "preview"), LARGE)
    login(make.user(Role.ORGANIZER))
    with client.get(f"/media/entries/{entry.id}/preview.jpg", buffered=False) as response:
        assert response.status_code == 200 and response.is_streamed
        assert response.content_length == len(LARGE)
        assert response.headers["Cache-Control"] == "private, no-store"  # as before
        chunks = list(response.response)
    assert len(chunks[0]) == files.SENT_CHUNK and b"".join(chunks) == LARGE


def test_a_family_s_drawing_and_a_range_of_it(client, make, contest, nothing_read_whole):
    entry = make.entry(contest, "RU-MOW")
    files.storage().put(files.image_key(entry, "thumb"), LARGE)
    files.storage().put(files.image_key(entry, "public"), LARGE)
    url = f"/status/{entry.code}/drawing.jpg?size=thumb"
    whole = client.get(url)
    assert whole.data == LARGE and whole.headers["Cache-Control"] == "private, no-store"
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == LARGE[100:200]


def test_an_etag_from_the_stored_file_s_version(app, make, contest, nothing_read_whole):
    entry = make.entry(contest, "RU-MOW")
    key = files.image_key(entry, "preview")
    files.storage().put(key, LARGE)

    def send(**headers):
        with app.test_request_context(headers=headers):
            response = files.send_stored(key, "image/jpeg", etag=True)
            response.close()
            return response

    first = send()
    tag = first.get_etag()[0]
    assert first.status_code == 200 and len(tag) == 32
    assert send(**{"If-None-Match": f'"{tag}"'}).status_code == 304
    files.storage().put(key, LARGE[::-1])  # masked again: a new file under the same key
    changed = send(**{"If-None-Match": f'"{tag}"'})
    assert changed.status_code == 200 and changed.get_etag()[0] != tag


def test_a_missing_file_is_not_found(app):
    with app.test_request_context(), pytest.raises(FileNotFoundError):
        files.send_stored("entries/2026/ab/nothing/preview.jpg", "image/jpeg")
